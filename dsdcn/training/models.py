"""The models of the Training lab: a stack of (dilated) convolutions or of DS-DCN layers, then a 1x1 head.

A ``ModelSpec`` is plain data (kind, rates, kernel, width, activation); ``build_model`` turns it into a
real ``nn.Module`` made of the library's own layers, ``model_layers`` into the ``Layer`` list whose
receptive field and coverage the rest of ``dsdcn`` computes, ``model_cost`` gives its weights and MACs
by formula and ``model_code`` the PyTorch source of the same network, built from torch modules alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from ..engine import Algorithm, ChosenConv2d
from ..geometry import check_int
from ..layers import DSDilatedConv1d, DSDilatedConv2d
from ..receptive import Layer

ModelKind = Literal["conv", "ds"]
MODEL_KINDS: tuple[str, ...] = ("conv", "ds")
Activation = Literal["none", "relu", "gelu", "tanh"]
ACTIVATIONS: tuple[str, ...] = ("none", "relu", "gelu", "tanh")
MAX_MODEL_LAYERS = 10
MAX_MODEL_RATE = 64
MAX_MODEL_WIDTH = 64
MAX_MODEL_KERNEL = 7
_ACT_CODE = {"relu": "nn.ReLU()", "gelu": "nn.GELU()", "tanh": "nn.Tanh()"}


@dataclass(frozen=True)
class ModelSpec:
    """One model: ``kind`` ``"conv"`` (dense ``k x k`` convolutions) or ``"ds"`` (DS-DCN: depthwise then
    pointwise), one layer per rate in ``rates``, ``width`` channels, ``activation`` after each layer."""

    kind: ModelKind = "conv"
    rates: tuple[int, ...] = (1, 2, 5)
    kernel_size: int = 3
    width: int = 8
    activation: Activation = "relu"

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ValueError(f"kind must be one of {', '.join(MODEL_KINDS)}, got {self.kind!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")
        if not 1 <= len(self.rates) <= MAX_MODEL_LAYERS:
            raise ValueError(f"a model has 1 to {MAX_MODEL_LAYERS} layers, got {len(self.rates)}")
        for rate in self.rates:
            if isinstance(rate, bool) or not isinstance(rate, int) or not 1 <= rate <= MAX_MODEL_RATE:
                raise ValueError(f"rates must be whole numbers from 1 to {MAX_MODEL_RATE}, got {rate!r}")
        k = check_int("kernel_size", self.kernel_size, 1)
        if k > MAX_MODEL_KERNEL:
            raise ValueError(f"kernel_size must be at most {MAX_MODEL_KERNEL}, got {k}")
        w = check_int("width", self.width, 1)
        if w > MAX_MODEL_WIDTH:
            raise ValueError(f"width must be at most {MAX_MODEL_WIDTH}, got {w}")

    @property
    def code(self) -> str:
        """A short, language-independent code: ``conv:1,2,5`` or ``ds:1,2,5``."""
        return f"{self.kind}:{','.join(map(str, self.rates))}"

    @property
    def dilated(self) -> bool:
        """Whether any layer has a rate above 1."""
        return any(r > 1 for r in self.rates)


_CODE = re.compile(r"^(conv|ds):([0-9]{1,3}(?:,[0-9]{1,3}){0,15})$")


def parse_model_code(
    code: str, kernel_size: int = 3, width: int = 8, activation: Activation = "relu"
) -> ModelSpec:
    """The spec of a code such as ``ds:1,2,5`` (spaces allowed); ``ValueError`` with a reason otherwise.

    >>> parse_model_code("ds: 1, 2, 5").rates
    (1, 2, 5)
    """
    if not isinstance(code, str) or len(code) > 80:
        raise ValueError("a model is written kind:rates, e.g. conv:1,2,5 or ds:1,2,5")
    match = _CODE.match(code.replace(" ", ""))
    if match is None:
        raise ValueError("a model is written kind:rates, e.g. conv:1,2,5 or ds:1,2,5")
    rates = tuple(int(r) for r in match.group(2).split(","))
    return ModelSpec(match.group(1), rates, kernel_size, width, activation)  # type: ignore[arg-type]


def causal_padding(kernel_size: int, dilation: int) -> int:
    """Left padding of a causal layer: ``d*(k-1)`` (no output sees the future)."""
    return dilation * (kernel_size - 1)


def _same(kernel_size: int, dilation: int) -> int:
    if kernel_size % 2 == 0:
        raise ValueError(f"2D models need an odd kernel size for symmetric 'same' padding, got {kernel_size}")
    return dilation * (kernel_size - 1) // 2


class CausalConv1d(nn.Module):
    """A dense 1D convolution padded on the left by ``d*(k-1)``: ``(B, C_in, L) -> (B, C_out, L)``."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, dilation: int = 1) -> None:
        super().__init__()
        self.pad = nn.ConstantPad1d((causal_padding(kernel_size, dilation), 0), 0.0)
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C_in, L) -> (B, C_out, L)``."""
        return self.conv(self.pad(x))


def _activation(name: str) -> list[nn.Module]:
    return {"none": [], "relu": [nn.ReLU()], "gelu": [nn.GELU()], "tanh": [nn.Tanh()]}[name]


def _layer(spec: ModelSpec, ndim: int, c_in: int, c_out: int, rate: int, algorithm: str | None) -> nn.Module:
    k = spec.kernel_size
    if ndim == 1:
        if spec.kind == "ds":
            return DSDilatedConv1d(c_in, c_out, k, dilation=rate, padding="causal", bias=True)
        return CausalConv1d(c_in, c_out, k, rate)
    if spec.kind == "ds":
        return DSDilatedConv2d(
            c_in,
            c_out,
            k,
            dilation=rate,
            padding=_same(k, rate),
            bias=True,
            algorithm=algorithm,  # type: ignore[arg-type]
        )
    if algorithm is not None:
        return ChosenConv2d(c_in, c_out, k, padding=_same(k, rate), dilation=rate, algorithm=algorithm)  # type: ignore[arg-type]
    return nn.Conv2d(c_in, c_out, k, padding=_same(k, rate), dilation=rate)


def _check_ndim(ndim: int) -> None:
    if ndim not in (1, 2):
        raise ValueError(f"ndim must be 1 (causal sequences) or 2 (images), got {ndim}")


def build_model(
    spec: ModelSpec,
    ndim: int,
    in_channels: int,
    out_channels: int,
    algorithm: Algorithm | Literal["auto"] | None = None,
) -> nn.Sequential:
    """The network of ``spec``: its layers (each followed by the activation), then a 1x1 head.

    ``ndim = 2``: images ``(B, C, H, W)``, "same" padding (odd kernels). ``ndim = 1``: sequences
    ``(B, C, L)``, causal (left) padding. DS-DCN layers are ``DSDilatedConv2d`` / ``DSDilatedConv1d``
    (depthwise with ``groups = C_in``, then pointwise); every convolution has a bias. Weights come from
    torch's default initialisation: ``init_parameters`` redraws them from a generator. ``algorithm``
    (2D only): ``"auto"`` runs each dilated ``k x k`` convolution by the fastest exact algorithm for its
    shape (``dsdcn.engine``; same parameters, results equal to rounding), None by torch's default call.
    """
    _check_ndim(ndim)
    mods: list[nn.Module] = []
    c = check_int("in_channels", in_channels, 1)
    for rate in spec.rates:
        mods.append(_layer(spec, ndim, c, spec.width, rate, algorithm))
        mods += _activation(spec.activation)
        c = spec.width
    head = nn.Conv1d if ndim == 1 else nn.Conv2d
    mods.append(head(c, check_int("out_channels", out_channels, 1), 1))
    return nn.Sequential(*mods)


def init_parameters(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """Redraw every convolution's weight and bias from ``U(-b, b)``, ``b = 1/sqrt(fan_in)`` (PyTorch's
    default bounds) with ``generator``: same seed, same network, without touching the global RNG."""
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, (nn.Conv1d, nn.Conv2d)):
                fan_in = mod.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in)
                mod.weight.copy_(torch.rand(mod.weight.shape, generator=generator) * 2 * bound - bound)
                if mod.bias is not None:
                    mod.bias.copy_(torch.rand(mod.bias.shape, generator=generator) * 2 * bound - bound)
    return model


def model_layers(spec: ModelSpec, ndim: int) -> list[Layer]:
    """The model's layers along one axis as ``dsdcn.Layer`` (stride 1): for its receptive field and
    coverage. Padding is "same" in 2D and the causal ``d*(k-1)`` in 1D; the 1x1 head adds nothing."""
    _check_ndim(ndim)
    k = spec.kernel_size
    if ndim == 1:
        return [Layer(k, 1, r, causal_padding(k, r)) for r in spec.rates]
    return [Layer(k, 1, r, _same(k, r)) for r in spec.rates]


@dataclass(frozen=True)
class ModelCost:
    """Weights (biases included) and multiply-adds per sample (biases not counted, as
    ``torch.utils.flop_counter`` does: FLOPs = 2 × MACs) of one model on one input."""

    params: int
    macs: int

    @property
    def flops(self) -> int:
        """``2 * macs``."""
        return 2 * self.macs


def model_cost(spec: ModelSpec, ndim: int, in_channels: int, out_channels: int, positions: int) -> ModelCost:
    """Params and MACs of ``build_model(spec, ndim, in_channels, out_channels)`` on one input with
    ``positions`` output positions (``H*W`` or ``L``; every layer keeps the size)."""
    _check_ndim(ndim)
    taps = spec.kernel_size**ndim
    n = check_int("positions", positions, 1)
    c, w = check_int("in_channels", in_channels, 1), spec.width
    params = macs = 0
    for _ in spec.rates:
        if spec.kind == "ds":
            params += c * taps + c + c * w + w  # depthwise (weights, biases), pointwise (weights, biases)
            macs += n * (c * taps + c * w)
        else:
            params += c * w * taps + w
            macs += n * c * w * taps
        c = w
    out = check_int("out_channels", out_channels, 1)
    params += c * out + out
    macs += n * c * out
    return ModelCost(params=params, macs=macs)


def _conv_code(ndim: int, c_in: int, c_out: int, k: int, rate: int, groups: int = 1) -> str:
    cls = f"nn.Conv{ndim}d"
    args = [str(c_in), str(c_out), str(k)]
    if ndim == 2 and k > 1:
        args.append(f"padding={_same(k, rate)}")
    if rate > 1:
        args.append(f"dilation={rate}")
    if groups > 1:
        args.append(f"groups={groups}")
    return f"{cls}({', '.join(args)})"


def _layer_code(spec: ModelSpec, ndim: int, c_in: int, rate: int) -> list[str]:
    k, w = spec.kernel_size, spec.width
    lines = []
    if ndim == 1:
        lines.append(f"nn.ConstantPad1d(({causal_padding(k, rate)}, 0), 0.0),  # causal: left padding only")
    if spec.kind == "ds":
        lines.append(_conv_code(ndim, c_in, c_in, k, rate, groups=c_in) + ",  # depthwise")
        lines.append(_conv_code(ndim, c_in, w, 1, 1) + ",  # pointwise")
    else:
        lines.append(_conv_code(ndim, c_in, w, k, rate) + ",")
    if spec.activation != "none":
        lines.append(_ACT_CODE[spec.activation] + ",")
    return lines


def model_code(spec: ModelSpec, ndim: int, in_channels: int, out_channels: int, name: str = "model") -> str:
    """PyTorch source that builds the same network from torch modules alone (``nn.Sequential``); its
    parameters, in order, have the shapes of ``build_model``'s, so weights copy over one to one."""
    _check_ndim(ndim)
    shape = "(B, C, L), causal" if ndim == 1 else "(B, C, H, W), 'same' padding"
    body: list[str] = []
    c = in_channels
    for i, rate in enumerate(spec.rates):
        body.append(f"# layer {i + 1}: kernel {spec.kernel_size}, dilation {rate}")
        body += _layer_code(spec, ndim, c, rate)
        c = spec.width
    body.append(_conv_code(ndim, c, out_channels, 1, 1) + ",  # head")
    lines = [
        "import torch",
        "from torch import nn",
        "",
        f"# {shape}; input channels {in_channels}, output channels {out_channels}",
        f"{name} = nn.Sequential(",
        *(f"    {line}" for line in body),
        ")",
    ]
    return "\n".join(lines) + "\n"


def copy_weights(source: nn.Module, target: nn.Module) -> None:
    """Copy parameters one to one in order (the shapes must match)."""
    src, dst = list(source.parameters()), list(target.parameters())
    if [p.shape for p in src] != [p.shape for p in dst]:
        raise ValueError("the two models' parameters differ in shape")
    with torch.no_grad():
        for s, d in zip(src, dst, strict=True):
            d.copy_(s)
