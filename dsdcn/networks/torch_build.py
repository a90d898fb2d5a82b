"""The same network in torch, built from its table (for checks and latency), and as PyTorch source code."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from .table import MERGES, NetLayer, Network, analyse

_ACT = {"relu": "nn.ReLU()", "relu6": "nn.ReLU6()"}


def _pad_args(layer: NetLayer, ndim: int) -> tuple[int, ...]:
    before, after = layer.padding
    return (before, after) * ndim


def _symmetric(layer: NetLayer) -> bool:
    return layer.padding[0] == layer.padding[1]


def _small_pool_pad(layer: NetLayer) -> bool:
    # torch pooling pads symmetrically and at most half the kernel; anything else gets an explicit pad
    return _symmetric(layer) and 2 * layer.padding[0] <= layer.kernel


def _conv_modules(layer: NetLayer, ndim: int, features: int) -> list[nn.Module]:
    # asymmetric padding (causal...) as an explicit zero pad before an unpadded convolution
    symmetric = _symmetric(layer)
    parts: list[nn.Module] = []
    if not symmetric:
        parts.append((nn.ConstantPad1d if ndim == 1 else nn.ConstantPad2d)(_pad_args(layer, ndim), 0.0))
    pad = layer.padding[0] if symmetric else 0
    conv_cls = nn.Conv1d if ndim == 1 else nn.Conv2d
    parts.append(
        conv_cls(
            layer.c_in,
            layer.c_out,
            layer.kernel,
            layer.stride,
            pad,
            layer.dilation,
            layer.groups,
            bias=layer.bias,
        )
    )
    return parts


def _pool_modules(layer: NetLayer, ndim: int, features: int) -> list[nn.Module]:
    # padding torch pooling cannot take: an explicit pad (-inf for max, zeros for average) first
    small = _small_pool_pad(layer)
    maxpool = layer.kind == "maxpool"
    parts: list[nn.Module] = []
    if not small:
        value = float("-inf") if maxpool else 0.0
        parts.append((nn.ConstantPad1d if ndim == 1 else nn.ConstantPad2d)(_pad_args(layer, ndim), value))
    pad = layer.padding[0] if small else 0
    if maxpool:
        parts.append((nn.MaxPool1d if ndim == 1 else nn.MaxPool2d)(layer.kernel, layer.stride, pad))
    else:
        parts.append((nn.AvgPool1d if ndim == 1 else nn.AvgPool2d)(layer.kernel, layer.stride, pad))
    return parts


def _gap_modules(layer: NetLayer, ndim: int, features: int) -> list[nn.Module]:
    return [(nn.AdaptiveAvgPool1d if ndim == 1 else nn.AdaptiveAvgPool2d)(1)]


def _fc_modules(layer: NetLayer, ndim: int, features: int) -> list[nn.Module]:
    # flatten, the linear layer, and back to (N, C, 1...) so that later rows see a spatial tensor
    return [
        nn.Flatten(),
        nn.Linear(features, layer.c_out, bias=layer.bias),
        nn.Unflatten(1, (layer.c_out,) + (1,) * ndim),
    ]


# the modules of each kind of row before its activation (merges have none)
_MODULES: dict[str, Callable[[NetLayer, int, int], list[nn.Module]]] = {
    "conv": _conv_modules,
    "maxpool": _pool_modules,
    "avgpool": _pool_modules,
    "gap": _gap_modules,
    "fc": _fc_modules,
}


def _module(layer: NetLayer, ndim: int, features: int) -> nn.Module:
    build = _MODULES.get(layer.kind)
    parts = build(layer, ndim, features) if build else []
    if layer.act:
        parts.append(nn.ReLU() if layer.act == "relu" else nn.ReLU6())
    return nn.Sequential(*parts)


class TableNet(nn.Module):
    """A torch module that runs a network table row by row (named outputs kept for branches)."""

    def __init__(self, net: Network) -> None:
        super().__init__()
        self.net = net
        rows = analyse(net).rows
        sizes = {"input": (net.in_channels, net.size)}
        self.sources = [net.sources(i) for i in range(len(net.layers))]
        self.layers = nn.ModuleList()
        for i, (layer, row) in enumerate(zip(net.layers, rows, strict=True)):
            c, size = sizes[self.sources[i][0]]
            features = c * math.prod(size) if layer.kind == "fc" else 0
            self.layers.append(_module(layer, net.ndim, features))
            sizes[layer.name] = (row.c_out, row.out_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run every row; returns the last row's output."""
        outs: dict[str, torch.Tensor] = {"input": x}
        y = x
        for layer, module, srcs in zip(self.net.layers, self.layers, self.sources, strict=True):
            ins = [outs[s] for s in srcs]
            if layer.kind == "add":
                y = module(torch.stack(ins).sum(0))
            elif layer.kind == "concat":
                y = module(torch.cat(ins, 1))
            else:
                y = module(ins[0])
            outs[layer.name] = y
        return y


def build_torch(net: Network) -> TableNet:
    """The network as a torch module (default initialisation; ``torch.device('meta')`` works)."""
    return TableNet(net)


def layer_module(net: Network, index: int) -> nn.Module:
    """Row ``index`` alone as a module (for timing one layer); merges are not modules (``ValueError``)."""
    layer = net.layers[index]
    if layer.kind in MERGES:
        raise ValueError(f"layer {layer.name} is a merge, not a module")
    rows = analyse(net).rows
    src = net.sources(index)[0]
    if src == "input":
        c, size = net.in_channels, net.size
    else:
        r = next(r for r in rows if r.layer.name == src)
        c, size = r.c_out, r.out_size
    return _module(layer, net.ndim, c * math.prod(size))


def layer_input_shape(net: Network, index: int) -> tuple[int, ...]:
    """Shape ``(C, *size)`` of what row ``index`` reads (its first input)."""
    src = net.sources(index)[0]
    if src == "input":
        return (net.in_channels, *net.size)
    r = analyse(net).row(src)
    return (r.c_out, *r.out_size)


_IDENT = re.compile(r"[^0-9A-Za-z_]")


def _ident(name: str, taken: set[str]) -> str:
    base = _IDENT.sub("_", name)[:40] or "layer"
    if not base[0].isalpha():
        base = "l_" + base
    out, n = base, 1
    while out in taken or out in {"self", "x", "input", "torch", "nn", "F"}:
        n += 1
        out = f"{base}_{n}"
    taken.add(out)
    return out


def _conv_code(layer: NetLayer, ndim: int, features: int) -> list[str]:
    d = f"{ndim}d"
    before = layer.padding[0]
    sym = _symmetric(layer)
    parts = [] if sym else [f"nn.ConstantPad{d}({_pad_args(layer, ndim)}, 0.0)"]
    extra = "".join(
        [
            f", stride={layer.stride}" if layer.stride != 1 else "",
            f", padding={before}" if sym and before else "",
            f", dilation={layer.dilation}" if layer.dilation != 1 else "",
            f", groups={layer.groups}" if layer.groups != 1 else "",
            "" if layer.bias else ", bias=False",
        ]
    )
    parts.append(f"nn.Conv{d}({layer.c_in}, {layer.c_out}, {layer.kernel}{extra})")
    return parts


def _pool_code(layer: NetLayer, ndim: int, features: int) -> list[str]:
    d = f"{ndim}d"
    maxpool = layer.kind == "maxpool"
    cls = "MaxPool" if maxpool else "AvgPool"
    small = _small_pool_pad(layer)
    parts = []
    if not small:
        value = "float('-inf')" if maxpool else "0.0"
        parts.append(f"nn.ConstantPad{d}({_pad_args(layer, ndim)}, {value})")
    pad = layer.padding[0] if small else 0
    parts.append(f"nn.{cls}{d}({layer.kernel}, stride={layer.stride}, padding={pad})")
    return parts


def _gap_code(layer: NetLayer, ndim: int, features: int) -> list[str]:
    return [f"nn.AdaptiveAvgPool{ndim}d(1)"]


def _fc_code(layer: NetLayer, ndim: int, features: int) -> list[str]:
    ones = ", ".join(["1"] * ndim)
    return [
        "nn.Flatten()",
        f"nn.Linear({features}, {layer.c_out}{'' if layer.bias else ', bias=False'})",
        f"nn.Unflatten(1, ({layer.c_out}, {ones}))",
    ]


# the source of each kind of row's modules before its activation, as in _MODULES
_CODE: dict[str, Callable[[NetLayer, int, int], list[str]]] = {
    "conv": _conv_code,
    "maxpool": _pool_code,
    "avgpool": _pool_code,
    "gap": _gap_code,
    "fc": _fc_code,
}


def _code_module(layer: NetLayer, ndim: int, features: int) -> str:
    build = _CODE.get(layer.kind)
    parts = build(layer, ndim, features) if build else []
    if layer.act:
        parts.append(_ACT[layer.act])
    if len(parts) == 1:
        return parts[0]
    return "nn.Sequential(" + ", ".join(parts) + ")"


def torch_code(net: Network) -> str:
    """Standalone PyTorch source of ``net``: ``class Net(nn.Module)`` with one attribute per layer and a
    ``forward`` that names every intermediate output (branches included)."""
    rows = analyse(net).rows
    taken: set[str] = set()
    names = {"input": "x"}
    sizes = {"input": (net.in_channels, net.size)}
    init: list[str] = []
    body: list[str] = []
    for i, (layer, row) in enumerate(zip(net.layers, rows, strict=True)):
        srcs = net.sources(i)
        var = _ident(layer.name, taken)
        ins = [names[s] for s in srcs]
        c, size = sizes[srcs[0]]
        if layer.kind == "add":
            expr = " + ".join(ins)
            body.append(f"        {var} = {'torch.relu(' + expr + ')' if layer.act == 'relu' else expr}")
        elif layer.kind == "concat":
            body.append(f"        {var} = torch.cat([{', '.join(ins)}], 1)")
        else:
            features = c * math.prod(size) if layer.kind == "fc" else 0
            init.append(f"        self.{var} = {_code_module(layer, net.ndim, features)}")
            body.append(f"        {var} = self.{var}({ins[0]})")
        names[layer.name] = var
        sizes[layer.name] = (row.c_out, row.out_size)
    shape = ", ".join(str(n) for n in (1, net.in_channels, *net.size))
    return "\n".join(
        [
            f'"""{net.name}: generated by dsdcn explorer from its layer table (input {shape})."""',
            "import torch",
            "from torch import nn",
            "",
            "",
            "class Net(nn.Module):",
            "    def __init__(self) -> None:",
            "        super().__init__()",
            *init,
            "",
            "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
            *body,
            f"        return {names[net.layers[-1].name]}",
            "",
            "",
            "if __name__ == '__main__':",
            f"    print(Net()(torch.randn({shape})).shape)",
            "",
        ]
    )


__all__ = ["TableNet", "build_torch", "layer_input_shape", "layer_module", "torch_code", "F"]
