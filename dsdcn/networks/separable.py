""" "Make it separable": every dense k×k convolution becomes depthwise (same k, stride, dilation, padding:
same field) + pointwise 1×1, and what that saves, layer by layer and in total."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .table import Analysis, NetLayer, Network, analyse


def _dense(layer: NetLayer) -> bool:
    return layer.kind == "conv" and layer.groups == 1 and layer.kernel > 1


def make_separable(net: Network) -> Network:
    """``net`` with each dense ``k > 1`` convolution split into ``<name>_dw`` (groups = channels in) and
    ``<name>`` (the 1×1, keeping the name so later layers still read it)."""
    rows: list[NetLayer] = []
    for layer in net.layers:
        if not _dense(layer):
            rows.append(layer)
            continue
        dw = replace(layer, name=f"{layer.name}_dw", groups=layer.c_in, c_out=layer.c_in, bias=False, act="")
        pw = NetLayer(
            layer.name, "conv", 1, 1, 1, 1, layer.c_in, layer.c_out, (0, 0), (dw.name,), layer.bias, layer.act
        )
        rows += [dw, pw]
    return replace(net, name=f"{net.name}_separable", layers=tuple(rows))


@dataclass(frozen=True)
class Saving:
    """One dense layer before and after the rewrite (the after figures sum its two new layers)."""

    name: str
    params_before: int
    params_after: int
    macs_before: int
    macs_after: int

    @property
    def macs_kept(self) -> float:
        """Share of the MACs the separable pair keeps (``1/C_out + 1/k^2`` without bias)."""
        return self.macs_after / self.macs_before if self.macs_before else 1.0


@dataclass(frozen=True)
class SeparableReport:
    """Per-layer savings, and the totals of both networks (every layer counted)."""

    layers: tuple[Saving, ...]
    before: Analysis
    after: Analysis

    @property
    def macs_kept(self) -> float:
        """Share of the whole network's MACs kept."""
        return self.after.totals.macs / self.before.totals.macs if self.before.totals.macs else 1.0

    @property
    def params_kept(self) -> float:
        """Share of the whole network's parameters kept."""
        return self.after.totals.params / self.before.totals.params if self.before.totals.params else 1.0

    @property
    def untouched_macs(self) -> int:
        """MACs of the layers the rewrite leaves alone (1×1, depthwise, fully connected): why a whole
        network saves less than one 3×3 layer."""
        return self.before.totals.macs - sum(s.macs_before for s in self.layers)


def separable_report(net: Network) -> SeparableReport:
    """Analyse ``net`` and its separable rewrite; fields are unchanged (same k, stride, dilation)."""
    before = analyse(net)
    after_net = make_separable(net)
    after = analyse(after_net)
    by_name = {r.layer.name: r for r in after.rows}
    savings = tuple(
        Saving(
            r.layer.name,
            r.params,
            by_name[r.layer.name].params + by_name[f"{r.layer.name}_dw"].params,
            r.macs,
            by_name[r.layer.name].macs + by_name[f"{r.layer.name}_dw"].macs,
        )
        for r in before.rows
        if _dense(r.layer)
    )
    return SeparableReport(savings, before, after)
