"""Whole-network tables: fields against published values and gradient probes, costs against torch itself."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from dsdcn.networks import NETWORK_CODES, NetLayer, Network, analyse, builtin, conv, from_stack, merge, pool
from dsdcn.networks.export import COLUMNS, to_csv, to_latex, to_markdown
from dsdcn.networks.separable import make_separable, separable_report
from dsdcn.networks.torch_build import build_torch, torch_code
from dsdcn.networks.zoo import BUILTINS, PUBLISHED_TOLERANCE, espnet_module, tf_same
from dsdcn.receptive import Layer, coverage, receptive_field

# google-research/receptive_field README, "Pre-computed receptive field parameters" (TF-Slim end points):
# convnet | receptive field | effective stride | effective padding
#   vgg_16 (pool5)                  212   32   90
#   resnet_v1_50 (last block)       483   32  239
#   mobilenet_v1 (Conv2d_13_pw)     315   32  126
GOOGLE = {"vgg16": (212, 32, 90), "resnet50_v1": (483, 32, 239), "mobilenet_v1": (315, 32, 126)}


@pytest.mark.parametrize("code", sorted(GOOGLE))
def test_fields_match_google_receptive_field_table(code: str) -> None:
    net = builtin(code)
    end = analyse(net).row(net.endpoint)
    rf, jump, pad = GOOGLE[code]
    assert (end.rf, end.jump) == (rf, jump)
    # TF 'SAME' pads a stride-2 layer (0, 1) on an even input where PyTorch pads (1, 1): same field,
    # earlier start. With TF's padding the published effective padding comes back exactly.
    kinds = ("maxpool",) if code.startswith("resnet") else ("conv", "maxpool")  # Slim's ResNet: conv2d_same
    tf_end = analyse(tf_same(net, kinds)).row(net.endpoint)
    assert (tf_end.rf, tf_end.jump, tf_end.padding) == (rf, jump, pad)


def test_resnet_v1_and_v15_fields_differ_where_the_stride_sits() -> None:
    # stride in the first 1×1 (v1): every later 3×3 works on the coarser grid -> 483; in the 3×3 (v1.5) -> 427
    v1, v15 = builtin("resnet50_v1"), builtin("resnet50_v15")
    assert analyse(v1).row(v1.endpoint).rf == 483
    assert analyse(v15).row(v15.endpoint).rf == 427


def test_published_costs_within_their_rounding() -> None:
    for code, entry in BUILTINS.items():
        pub = entry.published or {}
        totals = analyse(builtin(code)).totals
        for key in ("params", "macs"):
            if key in pub:
                got = getattr(totals, key)
                assert abs(got - pub[key]) <= PUBLISHED_TOLERANCE * pub[key], (code, key, got)
    # MobileNet-v1 at 224²: 569 M MACs and 4.2 M parameters (Howard et al. 2017, Table 8)
    mv1 = analyse(builtin("mobilenet_v1")).totals
    assert 568e6 < mv1.macs < 570e6 and 4.15e6 < mv1.params < 4.25e6
    assert mv1.flops == 2 * mv1.macs


SMALL = {"vgg16": 32, "resnet50_v1": 64, "resnet50_v15": 64, "mobilenet_v1": 64, "mobilenet_v2": 64,
         "deeplab_os16": 64, "deeplab_os8": 64, "espnet_hff": 16, "espnet_plain": 16, "wavenet": 256, "tcn": 64}  # fmt: skip


@pytest.mark.parametrize("code", NETWORK_CODES)
def test_params_and_macs_match_torch_on_the_torch_build(code: str) -> None:
    net = builtin(code, SMALL[code])  # small inputs keep the check cheap; the formulas do not depend on it
    a = analyse(net)
    with torch.device("meta"):
        module = build_torch(net)
        x = torch.empty(1, net.in_channels, *net.size)
        with FlopCounterMode(display=False) as counter:
            y = module(x)
    assert sum(p.numel() for p in module.parameters()) == a.totals.params
    assert counter.get_total_flops() == a.totals.flops == 2 * a.totals.macs
    last = a.rows[-1]
    assert tuple(y.shape) == (1, last.c_out, *last.out_size)


@pytest.mark.parametrize("code", ["resnet50_v15", "espnet_hff", "tcn"])
def test_generated_pytorch_code_is_the_same_network(code: str) -> None:
    net = builtin(code, SMALL[code])
    a = analyse(net)
    namespace: dict[str, object] = {}
    exec(compile(torch_code(net), "<generated>", "exec"), namespace)  # our own generated text
    with torch.device("meta"):
        module = namespace["Net"]()  # type: ignore[operator]
        with FlopCounterMode(display=False) as counter:
            y = module(torch.empty(1, net.in_channels, *net.size))
    assert sum(p.numel() for p in module.parameters()) == a.totals.params
    assert counter.get_total_flops() == a.totals.flops
    assert tuple(y.shape)[1] == a.rows[-1].c_out


def _probe(net: Network) -> tuple[torch.Tensor, int]:
    """|d output[centre] / d input| along the centre row, all weights 1 (no path, no gradient)."""
    module = build_torch(net).double()
    for p in module.parameters():
        torch.nn.init.ones_(p)
    for m in module.modules():  # activations would make the gradient depend on the data
        if isinstance(m, torch.nn.Sequential):
            for i, child in enumerate(m):
                if isinstance(child, (torch.nn.ReLU, torch.nn.ReLU6)):
                    m[i] = torch.nn.Identity()
    x = torch.ones(1, net.in_channels, *net.size, dtype=torch.float64, requires_grad=True)
    y = module(x)
    centre = tuple(n // 2 for n in y.shape[2:])
    y[(0, slice(None), *centre)].sum().backward()  # every output channel: the field of the position
    grad = x.grad[0].abs().sum(0)  # type: ignore[union-attr]
    row = grad[grad.shape[0] // 2] if net.ndim == 2 else grad
    return row, centre[-1]


PROBED = [
    espnet_module(True, channels=10, size=48),
    espnet_module(False, channels=10, size=48),
    Network(
        "strided_branches",
        2,
        (64, 64),
        (
            conv("a", 2, 4, 3, stride=2, act=""),
            conv("b", 4, 4, 3, dilation=2, act=""),
            conv("c", 4, 4, 3, dilation=3, inputs=("a",), act=""),
            merge("cat", "concat", ("b", "c")),
            pool("p", 2, 2, kind="avgpool"),  # a max-pool passes the gradient to one input only
            conv("d", 8, 4, 3, dilation=2, act=""),
        ),
    ),
]


@pytest.mark.parametrize("net", PROBED, ids=lambda n: n.name)
def test_field_and_holes_match_a_gradient_probe(net: Network) -> None:
    end = analyse(net).rows[-1]
    grad, i = _probe(net)
    seen = torch.nonzero(grad).flatten().tolist()
    start = i * end.jump - end.padding
    assert (seen[0], seen[-1]) == (start, start + end.rf - 1)  # extent and effective padding
    assert end.rf - len(seen) == end.holes  # gridding holes: inside the extent, no path


def test_hff_leaves_fewer_holes_per_branch_than_the_plain_concat() -> None:
    hff, plain = analyse(espnet_module(True)), analyse(espnet_module(False))
    assert hff.row("hff16").holes < plain.row("d16").holes
    assert hff.row("out").rf == plain.row("out").rf == 33


@given(
    ks=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 4)), min_size=1, max_size=6)
)
@settings(max_examples=40, deadline=None)
def test_a_chain_matches_dsdcn_receptive(ks: list[tuple[int, int, int]]) -> None:
    layers = [Layer(k, s, d, d * (k - 1) // 2) for k, s, d in ks]
    net = from_stack(layers, channels=2, size=4096, ndim=1)
    rows = analyse(net).rows
    for row, ref in zip(rows, receptive_field(layers), strict=True):
        assert (row.rf, row.jump, row.padding) == (ref.size, ref.stride, ref.padding)
    assert rows[-1].holes == int((coverage(layers) == 0).sum())


def test_separable_keeps_the_field_and_one_layer_keeps_11_5_percent() -> None:
    # one 3×3 at 256→256 keeps 1/256 + 1/9 = 11.5 % of its MACs
    net = Network("one", 256, (32, 32), (conv("c", 256, 256, 3),))
    report = separable_report(net)
    assert report.layers[0].macs_kept == pytest.approx(1 / 256 + 1 / 9, rel=1e-12)
    assert 0.114 < report.macs_kept < 0.116
    # a whole ResNet keeps far more: its 1×1 layers and the head are left as they are
    res = separable_report(builtin("resnet50_v15"))
    assert res.macs_kept > 0.5 and res.untouched_macs > 0.5 * res.before.totals.macs
    for code in NETWORK_CODES:
        before, after = analyse(builtin(code)), analyse(make_separable(builtin(code)))
        assert [
            (r.rf, r.jump, r.padding)
            for r in after.rows
            if r.layer.name in {x.layer.name for x in before.rows}
        ] == [(r.rf, r.jump, r.padding) for r in before.rows]


def test_exports_hold_every_row_and_the_totals() -> None:
    a = analyse(builtin("espnet_hff"))
    csv_text = to_csv(a)
    assert csv_text.splitlines()[0].split(",") == list(COLUMNS)
    assert len(csv_text.splitlines()) == len(a.rows) + 2
    assert csv_text.splitlines()[-1].startswith("total")
    assert to_markdown(a).count("\n") == len(a.rows) + 3
    tex = to_latex(a)
    assert r"\begin{tabular}" in tex and "hff\\_16" not in tex and "hff16" in tex and "c\\_in" in tex


def test_bad_tables_give_messages() -> None:
    with pytest.raises(ValueError, match="not an earlier layer"):
        Network("x", 3, (8, 8), (conv("a", 3, 3, 3, inputs=("b",)),))
    with pytest.raises(ValueError, match="wider than the padded input"):
        analyse(Network("x", 3, (4, 4), (conv("a", 3, 3, 3, dilation=4, padding=0),)))
    with pytest.raises(ValueError, match="expects 4 channels"):
        analyse(Network("x", 3, (8, 8), (conv("a", 4, 3, 3),)))
    with pytest.raises(ValueError, match="different sizes"):
        analyse(Network("x", 3, (8, 8), (conv("a", 3, 3, 3, stride=2), merge("m", "add", ("a", "input")))))
    with pytest.raises(ValueError, match="groups"):
        NetLayer("g", "conv", 3, c_in=3, c_out=4, groups=2)
    assert replace(builtin("tcn"), size=(10,)).size == (10,)


def test_misaligned_branches_are_flagged() -> None:
    # a 3-tap branch padded only after, next to an identity: their centres differ by one pixel
    net = Network(
        "m", 2, (16, 16), (conv("a", 2, 2, 3, padding=(0, 2), act=""), merge("s", "add", ("a", "input")))
    )
    assert analyse(net).misaligned == ("s",)
    # padded only before (causal): both fields end at the output's own pixel, aligned by design
    net = Network(
        "m", 2, (16, 16), (conv("a", 2, 2, 3, padding=(2, 0), act=""), merge("s", "add", ("a", "input")))
    )
    assert analyse(net).misaligned == ()
    net = Network("m", 2, (16, 16), (conv("a", 2, 2, 3, act=""), merge("s", "add", ("a", "input"))))
    assert analyse(net).misaligned == ()
