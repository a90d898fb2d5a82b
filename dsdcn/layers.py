"""Torch modules: the depthwise-separable dilated convolution, done right (``groups = C_in``)."""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from .engine import Algorithm, ChosenConv2d
from .geometry import Padding, check_int, effective_kernel_size, resolve_padding


class DSDilatedConv2d(nn.Module):
    """Depthwise ``k x k`` dilated conv (``groups = C_in``, ``C_in -> C_in*m``) then pointwise ``1 x 1``.

    Input ``(B, C_in, H, W)``, output ``(B, C_out, H_out, W_out)``. ``padding`` is an int, a
    ``(left, right)`` pair applied to both axes, ``"same"`` (total ``d*(k-1)``, odd totals put the
    extra pixel on the right, as PyTorch does; any stride) or ``"valid"``. ``algorithm`` (opt-in):
    ``"auto"`` runs the depthwise stage by the fastest exact algorithm for each input shape
    (:mod:`dsdcn.engine`), or name one to force it; None keeps torch's default call.

    Example: an impulse shows the dilated footprint.

    >>> m = DSDilatedConv2d(1, 1, kernel_size=3, dilation=2)
    >>> _ = m.depthwise.weight.data.fill_(1.0); _ = m.pointwise.weight.data.fill_(1.0)
    >>> x = torch.zeros(1, 1, 7, 7); x[0, 0, 3, 3] = 1.0
    >>> (m(x)[0, 0] != 0).int()[3].tolist()
    [0, 1, 0, 1, 0, 1, 0]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        dilation: int = 1,
        stride: int = 1,
        padding: Padding = "same",
        depth_multiplier: int = 1,
        bias: bool = False,
        algorithm: Algorithm | Literal["auto"] | None = None,
    ) -> None:
        super().__init__()
        c_in = check_int("in_channels", in_channels, 1)
        c_out = check_int("out_channels", out_channels, 1)
        m = check_int("depth_multiplier", depth_multiplier, 1)
        check_int("stride", stride, 1)
        left, right = resolve_padding(padding, kernel_size, dilation)
        self.pad = (left, right)
        conv: type[nn.Conv2d] = nn.Conv2d
        extra: dict[str, str] = {}
        if algorithm is not None:
            conv, extra = ChosenConv2d, {"algorithm": algorithm}
        self.depthwise = conv(
            c_in,
            c_in * m,
            kernel_size,
            stride=stride,
            padding=left if left == right else 0,
            dilation=dilation,
            groups=c_in,
            bias=bias,
            **extra,  # type: ignore[arg-type]
        )
        self.pointwise = nn.Conv2d(c_in * m, c_out, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C_in, H, W) -> (B, C_out, H_out, W_out)``."""
        left, right = self.pad
        if left != right:
            x = F.pad(x, (left, right, left, right))
        return self.pointwise(self.depthwise(x))

    def extra_repr(self) -> str:
        return f"pad={self.pad}"


class DSDilatedConv1d(nn.Module):
    """The 1D depthwise-separable dilated convolution: depthwise ``k`` (``groups = C_in``) then pointwise.

    Input ``(B, C_in, L)``, output ``(B, C_out, L_out)``. ``padding`` is an int, a ``(left, right)``
    pair, ``"same"``, ``"valid"`` or ``"causal"`` (``d*(k-1)`` on the left only: output ``t`` sees
    inputs ``t - d*(k-1) .. t``, never the future; the length is kept).

    >>> m = DSDilatedConv1d(1, 1, kernel_size=2, dilation=4, padding="causal")
    >>> _ = m.depthwise.weight.data.fill_(1.0); _ = m.pointwise.weight.data.fill_(1.0)
    >>> x = torch.zeros(1, 1, 9); x[0, 0, 2] = 1.0
    >>> (m(x)[0, 0] != 0).int().tolist()   # the impulse at 2 reaches outputs 2 and 2 + 4
    [0, 0, 1, 0, 0, 0, 1, 0, 0]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        dilation: int = 1,
        stride: int = 1,
        padding: Padding | Literal["causal"] = "same",
        depth_multiplier: int = 1,
        bias: bool = False,
    ) -> None:
        super().__init__()
        c_in = check_int("in_channels", in_channels, 1)
        c_out = check_int("out_channels", out_channels, 1)
        m = check_int("depth_multiplier", depth_multiplier, 1)
        check_int("stride", stride, 1)
        if padding == "causal":
            self.pad = (effective_kernel_size(kernel_size, dilation) - 1, 0)
        else:
            self.pad = resolve_padding(padding, kernel_size, dilation)
        self.depthwise = nn.Conv1d(
            c_in, c_in * m, kernel_size, stride=stride, dilation=dilation, groups=c_in, bias=bias
        )
        self.pointwise = nn.Conv1d(c_in * m, c_out, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C_in, L) -> (B, C_out, L_out)``."""
        if any(self.pad):
            x = F.pad(x, self.pad)
        return self.pointwise(self.depthwise(x))

    def extra_repr(self) -> str:
        return f"pad={self.pad}"
