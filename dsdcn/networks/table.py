"""A network as a compact layer table, and its analysis layer by layer.

Receptive field along one axis (square kernels, same on both axes), with the recurrence of
:mod:`dsdcn.receptive` (Araujo et al., Distill 2019): ``r += d*(k-1)*j``, ``P += p_left*j``, ``j *= s``.
A merge (``add``, ``concat``) spans the union of its inputs' fields (the largest, when they share a centre)
and is flagged as misaligned when their centres differ (unless they all end at the same pixel, as in a
causal network, where that is by design). Cost conventions: MACs count the
multiply-accumulates of convolutions and fully connected layers (pooling, additions and activations are
not counted, as in ``torch.utils.flop_counter``); FLOPs = 2 × MACs; activation memory is the layer's
output at float32 for one input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from ..geometry import check_int, output_size

Kind = Literal["conv", "maxpool", "avgpool", "gap", "fc", "add", "concat"]
KINDS: tuple[str, ...] = ("conv", "maxpool", "avgpool", "gap", "fc", "add", "concat")
MERGES: tuple[str, ...] = ("add", "concat")
ACTIVATIONS: tuple[str, ...] = ("", "relu", "relu6")
BYTES_PER_VALUE = 4  # float32
MAX_LAYERS = 2000
MAX_COVERAGE = 200_000  # path counts are tracked while the field stays within this many pixels


@dataclass(frozen=True)
class NetLayer:
    """One row of a network table.

    ``padding`` is ``(before, after)`` on each axis (``(d*(k-1), 0)`` is causal); ``inputs`` names the
    layers it reads (empty: the previous row; the first row reads the network's input). ``gap`` and ``fc``
    take the whole spatial extent (their kernel is the current size); ``fc`` flattens first.
    """

    name: str
    kind: Kind = "conv"
    kernel: int = 1
    stride: int = 1
    dilation: int = 1
    groups: int = 1
    c_in: int = 0
    c_out: int = 0
    padding: tuple[int, int] = (0, 0)
    inputs: tuple[str, ...] = ()
    bias: bool = False
    act: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("a layer needs a name")
        if self.kind not in KINDS:
            raise ValueError(f"layer {self.name}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        check_int(f"layer {self.name}: kernel", self.kernel, 1)
        check_int(f"layer {self.name}: stride", self.stride, 1)
        check_int(f"layer {self.name}: dilation", self.dilation, 1)
        check_int(f"layer {self.name}: groups", self.groups, 1)
        check_int(f"layer {self.name}: channels in", self.c_in, 0)
        check_int(f"layer {self.name}: channels out", self.c_out, 0)
        check_int(f"layer {self.name}: padding", self.padding[0], 0)
        check_int(f"layer {self.name}: padding", self.padding[1], 0)
        if self.act not in ACTIVATIONS:
            raise ValueError(f"layer {self.name}: activation must be one of {ACTIVATIONS}, got {self.act!r}")
        if self.kind in ("conv", "fc"):
            if self.c_in < 1 or self.c_out < 1:
                raise ValueError(f"layer {self.name}: channels in and out must be at least 1")
            if self.c_in % self.groups or self.c_out % self.groups:
                raise ValueError(
                    f"layer {self.name}: groups ({self.groups}) must divide channels in ({self.c_in}) "
                    f"and out ({self.c_out})"
                )

    @property
    def depthwise(self) -> bool:
        """A convolution with one group per input channel."""
        return self.kind == "conv" and self.groups == self.c_in and self.groups > 1


def conv(
    name: str,
    c_in: int,
    c_out: int,
    kernel: int,
    stride: int = 1,
    dilation: int = 1,
    groups: int = 1,
    padding: int | tuple[int, int] | None = None,
    inputs: Sequence[str] = (),
    bias: bool = False,
    act: str = "relu",
) -> NetLayer:
    """A convolution row; ``padding=None`` pads ``d*(k-1)//2`` on both sides (PyTorch's usual choice)."""
    if padding is None:
        padding = dilation * (kernel - 1) // 2
    pad = (padding, padding) if isinstance(padding, int) else tuple(padding)
    return NetLayer(
        name, "conv", kernel, stride, dilation, groups, c_in, c_out, pad, tuple(inputs), bias, act
    )  # type: ignore[arg-type]


def causal(name: str, c_in: int, c_out: int, kernel: int, dilation: int = 1, **kw: object) -> NetLayer:
    """A 1D causal convolution: all ``d*(k-1)`` padding before."""
    return conv(name, c_in, c_out, kernel, dilation=dilation, padding=(dilation * (kernel - 1), 0), **kw)  # type: ignore[arg-type]


def pool(
    name: str, kernel: int, stride: int, padding: int = 0, kind: Kind = "maxpool", inputs: Sequence[str] = ()
) -> NetLayer:
    """A max or average pooling row (channels follow the input)."""
    return NetLayer(name, kind, kernel, stride, 1, 1, 0, 0, (padding, padding), tuple(inputs))


def merge(name: str, kind: Kind, inputs: Sequence[str], act: str = "") -> NetLayer:
    """An ``add`` or ``concat`` of named layers."""
    if kind not in MERGES:
        raise ValueError(f"merge kind must be add or concat, got {kind!r}")
    return NetLayer(name, kind, inputs=tuple(inputs), act=act)


@dataclass(frozen=True)
class Network:
    """A named layer table over an input of ``in_channels`` × ``size`` (``ndim`` = len(size): 1 or 2)."""

    name: str
    in_channels: int
    size: tuple[int, ...]
    layers: tuple[NetLayer, ...]
    endpoint: str = ""  # the row whose field published tables quote (before the classifier head)

    def __post_init__(self) -> None:
        check_int("input channels", self.in_channels, 1)
        if len(self.size) not in (1, 2):
            raise ValueError(f"input size must have 1 or 2 axes, got {len(self.size)}")
        for n in self.size:
            check_int("input size", n, 1)
        if not self.layers:
            raise ValueError("a network needs at least one layer")
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} layers, got {len(self.layers)}")
        seen: set[str] = {"input"}
        for layer in self.layers:
            if layer.name in seen:
                raise ValueError(f"layer name {layer.name!r} is used twice (or is 'input')")
            for src in layer.inputs:
                if src not in seen:
                    raise ValueError(f"layer {layer.name} reads {src!r}, which is not an earlier layer")
            seen.add(layer.name)

    @property
    def ndim(self) -> int:
        """1 for sequences, 2 for images."""
        return len(self.size)

    def with_size(self, size: Sequence[int]) -> Network:
        """The same layers over another input size."""
        return replace(self, size=tuple(int(n) for n in size))

    def sources(self, index: int) -> tuple[str, ...]:
        """Names of the layers row ``index`` reads (``"input"`` for the network's input)."""
        layer = self.layers[index]
        if layer.inputs:
            return layer.inputs
        return (self.layers[index - 1].name,) if index else ("input",)


@dataclass(frozen=True)
class Row:
    """The analysis of one layer. ``rf``, ``jump`` and ``padding`` are along one axis, in input pixels:
    output ``i``'s field starts at input ``i*jump - padding``; ``holes`` counts pixels of the extent
    that reach the output by no path (``-1`` when not tracked)."""

    layer: NetLayer
    c_in: int
    c_out: int
    out_size: tuple[int, ...]
    rf: int
    jump: int
    padding: int
    params: int
    macs: int
    memory: int
    holes: int = -1
    misaligned: bool = False

    @property
    def flops(self) -> int:
        """``2 * macs``."""
        return 2 * self.macs

    @property
    def centre(self) -> float:
        """Offset of the field's centre from ``i*jump`` (input pixels)."""
        return (self.rf - 1) / 2 - self.padding


@dataclass(frozen=True)
class Totals:
    """Sums over the table."""

    params: int
    macs: int
    memory: int
    rf: int
    jump: int
    padding: int

    @property
    def flops(self) -> int:
        """``2 * macs``."""
        return 2 * self.macs


@dataclass(frozen=True)
class Analysis:
    """Every row and the totals; ``misaligned`` names the merges whose inputs' centres differ."""

    network: Network
    rows: tuple[Row, ...]
    totals: Totals
    misaligned: tuple[str, ...] = field(default=())

    def row(self, name: str) -> Row:
        """The row of layer ``name``."""
        for r in self.rows:
            if r.layer.name == name:
                return r
        raise KeyError(name)


@dataclass
class _Node:
    channels: int
    size: tuple[int, ...]
    rf: int
    jump: int
    padding: int
    counts: np.ndarray | None


def _spread(counts: np.ndarray | None, kernel: int, step: int, rf: int) -> np.ndarray | None:
    # the path-count recurrence of dsdcn.receptive.coverage_steps, in float64 (only zero / non-zero matters)
    if counts is None or rf > MAX_COVERAGE:
        return None
    grown = np.zeros(rf, dtype=np.float64)
    for m in range(kernel):
        grown[m * step : m * step + counts.size] += counts
    return grown


def _merge_channels(layer: NetLayer, nodes: list[_Node]) -> int:
    # merged inputs share size and stride (and channels, for add); concat sums the channels
    sizes = {n.size for n in nodes}
    if len(sizes) != 1:
        raise ValueError(f"layer {layer.name}: its inputs have different sizes ({sorted(sizes)})")
    jumps = {n.jump for n in nodes}
    if len(jumps) != 1:
        raise ValueError(f"layer {layer.name}: its inputs have different strides ({sorted(jumps)})")
    if layer.kind != "add":
        return sum(n.channels for n in nodes)
    chans = {n.channels for n in nodes}
    if len(chans) != 1:
        raise ValueError(f"layer {layer.name}: added inputs have different channels ({sorted(chans)})")
    return nodes[0].channels


def _merge_counts(nodes: list[_Node], starts: list[int], start: int, end: int) -> np.ndarray | None:
    # the inputs' path counts laid over the union of their fields (None when any is untracked, or too wide)
    if any(n.counts is None for n in nodes) or end - start > MAX_COVERAGE:
        return None
    counts = np.zeros(end - start, dtype=np.float64)
    for s, n in zip(starts, nodes, strict=True):
        counts[s - start : s - start + n.rf] += n.counts  # type: ignore[operator]
    return counts


def _merge(layer: NetLayer, nodes: list[_Node]) -> tuple[_Node, bool]:
    channels = _merge_channels(layer, nodes)
    starts = [-n.padding for n in nodes]
    ends = [-n.padding + n.rf for n in nodes]
    start, end = min(starts), max(ends)
    centres = {2 * s + n.rf - 1 for s, n in zip(starts, nodes, strict=True)}
    aligned = len(centres) == 1 or len(set(ends)) == 1  # centred, or causal (every field ends at t)
    counts = _merge_counts(nodes, starts, start, end)
    return _Node(channels, nodes[0].size, end - start, nodes[0].jump, -start, counts), not aligned


def _holes(counts: np.ndarray | None) -> int:
    return -1 if counts is None else int(np.count_nonzero(counts == 0))


def _step(layer: NetLayer, src: _Node, ndim: int) -> _Node:
    # one non-merge layer over its input: output size, field, jump, effective padding and path counts;
    # gap and fc take the whole extent (kernel = the current size, no padding, stride and dilation 1)
    whole = layer.kind in ("gap", "fc")
    k = max(src.size) if whole else layer.kernel
    ks = src.size if whole else (k,) * ndim
    pad = (0, 0) if whole else layer.padding
    stride = 1 if whole else layer.stride
    dil = 1 if whole else layer.dilation
    try:
        out = tuple(output_size(n, kk, stride, pad, dil) for n, kk in zip(src.size, ks, strict=True))
    except ValueError as exc:
        raise ValueError(f"layer {layer.name}: {exc}") from None
    rf = src.rf + dil * (k - 1) * src.jump
    return _Node(
        layer.c_out if layer.kind in ("conv", "fc") else src.channels,
        out,
        rf,
        src.jump * stride,
        src.padding + pad[0] * src.jump,
        _spread(src.counts, k, dil * src.jump, rf),
    )


def _cost(layer: NetLayer, src: _Node, out: tuple[int, ...], ndim: int) -> tuple[int, int]:
    # (params, MACs): convolutions and fully connected layers count, everything else is free
    bias = layer.c_out if layer.bias else 0
    if layer.kind == "conv":
        weights = layer.c_in // layer.groups * layer.c_out * layer.kernel**ndim
        return weights + bias, weights * int(np.prod(out))
    if layer.kind == "fc":
        features = src.channels * int(np.prod(src.size))
        return features * layer.c_out + bias, features * layer.c_out
    return 0, 0


def _layer(layer: NetLayer, srcs: list[_Node], ndim: int) -> tuple[_Node, int, int, int, bool]:
    # one row's node, channels in, params, MACs and misalignment flag
    if layer.kind in MERGES:
        if len(srcs) < 2:
            raise ValueError(f"layer {layer.name}: a merge needs at least two inputs")
        node, flag = _merge(layer, srcs)
        return node, node.channels, 0, 0, flag
    if len(srcs) != 1:
        raise ValueError(f"layer {layer.name}: only add and concat read several inputs")
    src = srcs[0]
    if layer.kind in ("conv", "fc") and layer.c_in != src.channels:
        raise ValueError(f"layer {layer.name}: expects {layer.c_in} channels, gets {src.channels}")
    node = _step(layer, src, ndim)
    params, macs = _cost(layer, src, node.size, ndim)
    return node, src.channels, params, macs, False


def _totals(rows: list[Row]) -> Totals:
    last = rows[-1]
    return Totals(
        sum(r.params for r in rows),
        sum(r.macs for r in rows),
        sum(r.memory for r in rows),
        last.rf,
        last.jump,
        last.padding,
    )


def analyse(net: Network) -> Analysis:
    """Output size, receptive field, jump, effective padding, params, MACs and memory of every row.

    Raises ``ValueError`` naming the layer when a kernel is wider than its padded input, channels do not
    match, or merged inputs differ in size or stride.
    """
    nodes: dict[str, _Node] = {"input": _Node(net.in_channels, net.size, 1, 1, 0, np.ones(1))}
    rows: list[Row] = []
    for i, layer in enumerate(net.layers):
        node, c_in, params, macs, flag = _layer(layer, [nodes[s] for s in net.sources(i)], net.ndim)
        nodes[layer.name] = node
        memory = node.channels * int(np.prod(node.size)) * BYTES_PER_VALUE
        rows.append(
            Row(
                layer,
                c_in,
                node.channels,
                node.size,
                node.rf,
                node.jump,
                node.padding,
                params,
                macs,
                memory,
                _holes(node.counts),
                flag,
            )
        )
    misaligned = tuple(r.layer.name for r in rows if r.misaligned)
    return Analysis(net, tuple(rows), _totals(rows), misaligned)


def field_rows(rows: Iterable[Row]) -> list[tuple[str, int]]:
    """``(name, rf)`` of each row: the receptive field over depth."""
    return [(r.layer.name, r.rf) for r in rows]
