"""The exact convolution algorithms and the chooser, checked against torch's own ``F.conv2d``.

Tolerance: different kernels sum in different orders, so results agree to float32 rounding, not bit
for bit. Inputs and weights are standard normal; sums have at most a few hundred terms, so we allow
``rtol = 1e-4`` and ``atol = 1e-4`` (observed differences are around 1e-6).
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dsdcn import engine
from dsdcn.geometry import resolve_padding
from dsdcn.layers import DSDilatedConv2d
from dsdcn.measure import LayerSpec, MeasurementRefused, counted_cost, measure_algorithms

TOL = {"rtol": 1e-4, "atol": 1e-4}


@st.composite
def convs(draw: st.DrawFn) -> dict:
    """A random valid ``F.conv2d`` call: channels, groups, kernel, stride, padding, dilation, size."""
    groups = draw(st.integers(1, 4))
    c_in = groups * draw(st.integers(1, 3))
    c_out = groups * draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    dh, dw = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    sh, sw = draw(st.sampled_from([1, 1, 2, 3])), draw(st.sampled_from([1, 1, 2]))
    ph, pw = draw(st.integers(0, 6)), draw(st.integers(0, 6))
    mode = draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"]))
    low_h, low_w = max(1, dh * (kh - 1) + 1 - 2 * ph), max(1, dw * (kw - 1) + 1 - 2 * pw)
    if mode in ("reflect", "circular"):  # F.pad's limits: reflect needs pad < size, circular pad <= size
        low_h, low_w = max(low_h, ph + 1), max(low_w, pw + 1)
    h = draw(st.integers(low_h, low_h + 20))
    w = draw(st.integers(low_w, low_w + 20))
    return {
        "batch": draw(st.integers(1, 2)),
        "c_in": c_in,
        "c_out": c_out,
        "groups": groups,
        "size": (h, w),
        "kernel": (kh, kw),
        "stride": (sh, sw),
        "padding": (ph, pw),
        "dilation": (dh, dw),
        "mode": mode,
        "bias": draw(st.booleans()),
        "channels_last": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**16)),
    }


def _tensors(c: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    gen = torch.Generator().manual_seed(c["seed"])
    x = torch.randn(c["batch"], c["c_in"], *c["size"], generator=gen)
    if c["channels_last"]:
        x = x.contiguous(memory_format=torch.channels_last)
    w = torch.randn(c["c_out"], c["c_in"] // c["groups"], *c["kernel"], generator=gen)
    b = torch.randn(c["c_out"], generator=gen) if c["bias"] else None
    return x, w, b


@settings(max_examples=50)
@given(convs())
def test_every_applicable_algorithm_equals_f_conv2d(c: dict) -> None:
    x, w, b = _tensors(c)
    args = (c["stride"], c["padding"], c["dilation"], c["groups"])
    (ph, pw), mode = c["padding"], c["mode"]
    if mode == "zeros":
        ref = F.conv2d(x, w, b, *args)
    else:  # nn.Conv2d's way: pad, then convolve without padding
        ref = F.conv2d(
            F.pad(x, (pw, pw, ph, ph), mode=mode), w, b, c["stride"], 0, c["dilation"], c["groups"]
        )
    shape = engine.conv_shape(x, w, *args, mode)
    assert engine.output_size(shape) == tuple(ref.shape[2:])
    ran = 0
    for name in engine.ALGORITHMS:
        if engine.applicable(name, shape):
            torch.testing.assert_close(engine.run_algorithm(name, x, w, b, *args, mode), ref, **TOL)
            ran += 1
    assert ran >= 2  # nchw and channels_last apply everywhere


@settings(max_examples=30)
@given(convs())
def test_gradients_flow_through_every_algorithm(c: dict) -> None:
    x, w, b = _tensors(c)
    args = (c["stride"], c["padding"], c["dilation"], c["groups"])
    x.requires_grad_(True)
    w.requires_grad_(True)
    (gx_ref, gw_ref) = torch.autograd.grad(F.conv2d(x, w, b, *args).square().sum(), (x, w))
    shape = engine.conv_shape(x, w, *args)
    for name in engine.ALGORITHMS:
        if engine.applicable(name, shape):
            gx, gw = torch.autograd.grad(engine.run_algorithm(name, x, w, b, *args).square().sum(), (x, w))
            torch.testing.assert_close(gx, gx_ref, rtol=1e-3, atol=1e-3)
            torch.testing.assert_close(gw, gw_ref, rtol=1e-3, atol=1e-3)


def test_space_to_batch_is_exact_on_a_dilated_depthwise_impulse() -> None:
    # an impulse shows the footprint: taps d apart, the rest exactly zero
    x = torch.zeros(1, 2, 15, 15)
    x[:, :, 7, 7] = 1.0
    w = torch.ones(2, 1, 3, 3)
    y = engine.run_algorithm("space_to_batch", x, w, padding=3, dilation=3, groups=2)
    rows = (y[0, 0] != 0).nonzero()[:, 0].unique().tolist()
    assert rows == [4, 7, 10]


def test_applicable_rules() -> None:
    x, w = torch.zeros(1, 4, 16, 16), torch.zeros(4, 1, 3, 3)
    strided = engine.conv_shape(x, w, stride=2, padding=2, dilation=2, groups=4)
    assert not engine.applicable("space_to_batch", strided)
    undilated = engine.conv_shape(x, w, padding=1, groups=4)
    assert not engine.applicable("space_to_batch_cl", undilated)
    big = engine.conv_shape(torch.zeros(1, 64, 512, 512), torch.zeros(64, 64, 5, 5), padding=2)
    assert not engine.applicable("unfold", big)
    assert engine.applicable("nchw", big) and engine.applicable("channels_last", big)


@pytest.mark.parametrize(
    ("stride", "padding", "dilation", "groups", "message"),
    [(0, 0, 1, 1, "stride"), (1, -1, 1, 1, "padding"), (1, 0, 1, 3, "groups"), (1, 0, 9, 1, "larger")],
)
def test_bad_calls_raise_value_error(
    stride: int, padding: int, dilation: int, groups: int, message: str
) -> None:
    x, w = torch.zeros(1, 4, 8, 8), torch.zeros(4, 4, 3, 3)
    with pytest.raises(ValueError, match=message):
        engine.conv_shape(x, w, stride, padding, dilation, groups)
    with pytest.raises(ValueError, match="unknown algorithm"):
        engine.run_algorithm("winograd", x, w)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not apply"):
        engine.run_algorithm("space_to_batch", x, w, padding=1)


def test_chooser_times_a_shape_once_and_remembers_the_winner(monkeypatch: pytest.MonkeyPatch) -> None:
    chooser = engine.Chooser()
    calls = []
    real = engine.time_algorithms

    def counting(*args: object, **kwargs: object) -> engine.Choice:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "time_algorithms", counting)
    x, w = torch.randn(1, 4, 20, 20), torch.randn(4, 1, 3, 3)
    first = chooser.choose(x, w, padding=4, dilation=4, groups=4)
    again = chooser.choose(torch.randn(1, 4, 20, 20), w, padding=4, dilation=4, groups=4)
    assert len(calls) == 1 and first == again
    (choice,) = chooser.choices()
    assert choice.winner == first and set(choice.seconds) >= {"nchw", "channels_last"}
    assert choice.shape.threads == torch.get_num_threads()
    chooser.choose(x.contiguous(memory_format=torch.channels_last), w, padding=4, dilation=4, groups=4)
    chooser.choose(torch.randn(1, 4, 21, 20), w, padding=4, dilation=4, groups=4)
    assert len(calls) == 3  # a new layout and a new size are new shapes
    chooser.clear()
    assert chooser.choices() == ()


def test_the_chooser_keeps_the_most_recently_used_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    # a bounded memory: with room for 2 verdicts, a third shape drops the least recently used one
    chooser = engine.Chooser(max_shapes=2)
    timed: list[int] = []
    real = engine.time_algorithms

    def counting(x: torch.Tensor, *args: object, **kwargs: object) -> engine.Choice:
        timed.append(int(x.shape[2]))
        return real(x, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "time_algorithms", counting)
    w = torch.randn(2, 1, 3, 3)
    for rows in (10, 11, 10, 12, 10, 11):  # 11 is dropped for 12 (10 was used after it), then timed again
        chooser.choose(torch.randn(1, 2, rows, 9), w, padding=1, groups=2)
    assert timed == [10, 11, 12, 11]
    assert [c.shape.size[0] for c in chooser.choices()] == [10, 11]
    with pytest.raises(ValueError, match="max_shapes"):
        engine.Chooser(max_shapes=0)
    assert engine.CHOOSER.max_shapes == engine.MAX_SHAPES


def test_the_winner_is_the_fastest_timed_candidate() -> None:
    x, w = torch.randn(1, 8, 64, 64), torch.randn(8, 1, 3, 3)
    choice = engine.time_algorithms(x, w, padding=6, dilation=6, groups=8)
    timed = {k: v for k, v in choice.seconds.items() if k not in choice.given_up}
    assert choice.winner == min(timed, key=timed.__getitem__)
    assert choice.speedup() == pytest.approx(choice.seconds["nchw"] / timed[choice.winner])


def test_a_forced_algorithm_is_used_where_it_applies() -> None:
    chooser = engine.Chooser()
    chooser.force = "space_to_batch"
    x, w = torch.randn(1, 4, 16, 16), torch.randn(4, 1, 3, 3)
    assert chooser.choose(x, w, padding=2, dilation=2, groups=4) == "space_to_batch"
    assert chooser.choices() == ()  # nothing timed
    assert chooser.choose(x, w, padding=1, groups=4) != "space_to_batch"  # d = 1: falls back to timing
    with pytest.raises(ValueError, match="unknown"):
        engine.Chooser(("nchw", "fft"))  # type: ignore[arg-type]


@pytest.mark.parametrize("algorithm", ["auto", *engine.ALGORITHMS])
def test_chosen_conv2d_is_an_nn_conv2d_with_the_same_parameters_and_results(algorithm: str) -> None:
    torch.manual_seed(0)
    ref = nn.Conv2d(6, 4, 3, padding=3, dilation=3, groups=2, bias=True)
    mod = engine.ChosenConv2d(6, 4, 3, padding=3, dilation=3, groups=2, bias=True, algorithm=algorithm)
    mod.load_state_dict(ref.state_dict())
    assert sum(p.numel() for p in mod.parameters()) == sum(p.numel() for p in ref.parameters())
    x = torch.randn(2, 6, 19, 17)
    torch.testing.assert_close(mod(x), ref(x), **TOL)


def test_chosen_conv2d_keeps_non_zero_padding_modes() -> None:
    ref = nn.Conv2d(3, 3, 3, padding=2, dilation=2, groups=3, padding_mode="reflect")
    mod = engine.ChosenConv2d(3, 3, 3, padding=2, dilation=2, groups=3, padding_mode="reflect")
    mod.load_state_dict(ref.state_dict())
    x = torch.randn(1, 3, 12, 12)
    torch.testing.assert_close(mod(x), ref(x), **TOL)
    with pytest.raises(ValueError, match="unknown algorithm"):
        engine.ChosenConv2d(3, 3, 3, algorithm="fast")  # type: ignore[arg-type]


@pytest.mark.parametrize("padding", ["same", (1, 2)])
def test_ds_dilated_conv2d_opt_in_algorithm_matches_the_default(padding: object) -> None:
    torch.manual_seed(1)
    plain = DSDilatedConv2d(4, 6, 3, dilation=3, padding=padding, bias=True)  # type: ignore[arg-type]
    chosen = DSDilatedConv2d(4, 6, 3, dilation=3, padding=padding, bias=True, algorithm="auto")  # type: ignore[arg-type]
    chosen.load_state_dict(plain.state_dict())
    assert isinstance(chosen.depthwise, engine.ChosenConv2d)
    x = torch.randn(2, 4, 21, 18, requires_grad=True)
    torch.testing.assert_close(chosen(x), plain(x), **TOL)
    g_plain = torch.autograd.grad(plain(x).sum(), x)[0]
    g_chosen = torch.autograd.grad(chosen(x).sum(), x)[0]
    torch.testing.assert_close(g_chosen, g_plain, **TOL)


@pytest.mark.parametrize(("kind", "stride", "padding"), [("depthwise", 1, "same"), ("standard", 2, (1, 2))])
def test_measure_algorithms_times_every_applicable_algorithm(kind: str, stride: int, padding: object) -> None:
    spec = LayerSpec(kind, 4, 4 if kind == "depthwise" else 6, 3, 3, stride, padding=padding)  # type: ignore[arg-type]
    result = measure_algorithms(spec, 13, 11, batch=2, warmup=0, repeats=3)
    x = torch.zeros(2, 4, 13, 11)
    left, right = resolve_padding(padding, 3, 3)  # type: ignore[arg-type]
    x = F.pad(x, (left, right, left, right))
    shape = engine.conv_shape(
        x,
        torch.zeros(spec.produced_channels, 4 // (4 if kind == "depthwise" else 1), 3, 3),
        stride,
        0,
        3,
        4 if kind == "depthwise" else 1,
    )
    assert list(result.timings) == [a for a in engine.ALGORITHMS if engine.applicable(a, shape)]
    assert all(t.runs == 3 for t in result.timings.values())
    assert result.flops == counted_cost(spec, 13, 11, batch=2).flops  # flop_counter on the real module
    assert result.winner == min(result.timings, key=lambda a: result.timings[a].median)
    assert result.speedup >= 1.0 and result.dilation == 3


def test_measure_algorithms_refuses_before_allocating() -> None:
    huge = LayerSpec("depthwise", 4096, 4096, 15, 2)
    with pytest.raises(MeasurementRefused):
        measure_algorithms(huge, 4096, 4096, batch=1024)
    with pytest.raises(ValueError, match="standard"):
        measure_algorithms(LayerSpec("separable", 4, 4), 8, 8)


def test_a_large_call_is_timed_on_a_band_of_rows_in_its_own_layout() -> None:
    x = torch.zeros(3, 8, 600, 700).contiguous(memory_format=torch.channels_last)
    w = torch.zeros(8, 1, 3, 3)
    shape = engine.conv_shape(x, w, padding=5, dilation=5, groups=8)
    probe = engine.probe_input(x, shape, max_bytes=2**20)
    assert probe.shape[:2] == (1, 8) and probe.shape[3] == 700
    assert 11 <= probe.shape[2] < 600  # at least the dilated kernel's span minus the padding
    assert probe.shape[2] * 8 * 700 * 4 <= 2**20
    assert probe.is_contiguous(memory_format=torch.channels_last)
    small = torch.zeros(1, 2, 8, 8)
    assert engine.probe_input(small, engine.conv_shape(small, torch.zeros(2, 2, 3, 3))) is small


def test_padding_modes_are_checked_as_f_pad_checks_them() -> None:
    x, w = torch.zeros(1, 2, 4, 6), torch.zeros(2, 1, 3, 3)
    with pytest.raises(ValueError, match="reflect"):
        engine.conv_shape(x, w, padding=4, groups=2, padding_mode="reflect")  # pad 4 >= 4 rows
    with pytest.raises(ValueError, match="circular"):
        engine.conv_shape(x, w, padding=5, groups=2, padding_mode="circular")
    with pytest.raises(ValueError, match="padding mode"):
        engine.conv_shape(x, w, padding=1, groups=2, padding_mode="mirror")
    shape = engine.conv_shape(x, w, padding=3, groups=2, padding_mode="reflect")
    assert shape.padding_mode == "reflect" and engine.output_size(shape) == (8, 10)


def test_a_fast_algorithm_with_a_large_scratch_gives_way_to_a_lean_one_nearly_as_fast() -> None:
    # a 2048² RGB image: torch's NCHW call is estimated at twice the 48 MB input, past WORKSPACE_BYTES
    big = engine.conv_shape(torch.empty(1, 3, 2048, 2048), torch.empty(6, 3, 3, 3), padding=3, dilation=3)
    assert engine.workspace_bytes("nchw", big) > engine.WORKSPACE_BYTES
    assert engine.workspace_bytes("direct", big) == 0
    near = {"nchw": 1.0, "channels_last": 1.2, "direct": 1.25}
    assert engine._lean_winner(big, near) == "direct"
    far = {"nchw": 1.0, "channels_last": 1.2, "direct": 1.5}  # the lean one is too slow: speed first
    assert engine._lean_winner(big, far) == "channels_last"  # leaner than nchw, within the slack
    small = engine.conv_shape(torch.empty(1, 3, 64, 64), torch.empty(6, 3, 3, 3), padding=1)
    assert engine._lean_winner(small, near) == "nchw"  # little scratch: the fastest wins
    # the estimates follow what the algorithms hold: a copy of the input per layout change, no more
    cl = engine.conv_shape(
        torch.empty(1, 3, 2048, 2048).contiguous(memory_format=torch.channels_last),
        torch.empty(6, 3, 3, 3),
        padding=1,
    )
    assert (
        engine.workspace_bytes("channels_last", cl) == 0
        and engine.workspace_bytes("direct", cl) == 48 * 2**20
    )
