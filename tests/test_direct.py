"""The numba direct convolution (``dsdcn.direct``, the engine's ``direct`` algorithm) against torch's ``F.conv2d``.

Tolerance: the loop sums the taps in its own order, so float32 results agree with torch's kernels to
rounding: with standard normal inputs and at most 81 taps per output, ``rtol = atol = 1e-4`` (observed
differences are about 1e-6); float64 agrees to ``1e-10``.
"""

from __future__ import annotations

import threading

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dsdcn import direct, engine

pytestmark = pytest.mark.skipif(not direct.available(), reason="numba is not installed")
TOL32 = {"rtol": 1e-4, "atol": 1e-4}
TOL64 = {"rtol": 1e-10, "atol": 1e-10}


@st.composite
def calls(draw: st.DrawFn) -> dict:
    """A valid ``F.conv2d`` call with at most 81 taps per output (the direct loop's range)."""
    groups = draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    cg = draw(st.integers(1, max(1, min(3, direct.MAX_TAPS // (kh * kw)))))
    dh, dw = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    ph, pw = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    mode = draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"]))
    low_h, low_w = max(1, dh * (kh - 1) + 1 - 2 * ph), max(1, dw * (kw - 1) + 1 - 2 * pw)
    if mode in ("reflect", "circular"):  # F.pad's limits: reflect needs pad < size, circular pad <= size
        low_h, low_w = max(low_h, ph + 1), max(low_w, pw + 1)
    return {
        "batch": draw(st.integers(1, 3)),
        "c_in": groups * cg,
        "c_out": groups * draw(st.integers(1, 4)),
        "groups": groups,
        "size": (draw(st.integers(low_h, low_h + 24)), draw(st.integers(low_w, low_w + 24))),
        "kernel": (kh, kw),
        "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "padding": (ph, pw),
        "dilation": (dh, dw),
        "mode": mode,
        "bias": draw(st.booleans()),
        "layout": draw(st.sampled_from(["nchw", "channels_last", "sliced"])),
        "dtype": draw(st.sampled_from([torch.float32, torch.float32, torch.float64])),
        "seed": draw(st.integers(0, 2**16)),
    }


def _tensors(c: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    gen = torch.Generator().manual_seed(c["seed"])
    x = torch.randn(c["batch"], c["c_in"], c["size"][0], c["size"][1] + 3, generator=gen, dtype=c["dtype"])
    x = x[..., 3:]  # a view: rows do not start where a dense tensor's would
    if c["layout"] == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    elif c["layout"] == "nchw":
        x = x.contiguous()
    w = torch.randn(c["c_out"], c["c_in"] // c["groups"], *c["kernel"], generator=gen, dtype=c["dtype"])
    b = torch.randn(c["c_out"], generator=gen, dtype=c["dtype"]) if c["bias"] else None
    return x, w, b


@settings(max_examples=200, deadline=None)
@given(calls())
def test_direct_equals_f_conv2d(c: dict) -> None:
    x, w, b = _tensors(c)
    args = (c["stride"], c["padding"], c["dilation"], c["groups"])
    ph, pw = c["padding"]
    if c["mode"] == "zeros":
        ref = F.conv2d(x, w, b, *args)
    else:  # nn.Conv2d's way: pad, then convolve without padding
        padded = F.pad(x, (pw, pw, ph, ph), mode=c["mode"])
        ref = F.conv2d(padded, w, b, c["stride"], 0, c["dilation"], c["groups"])
    shape = engine.conv_shape(x, w, *args, c["mode"])
    assert engine.applicable("direct", shape)
    got = engine.run_algorithm("direct", x, w, b, *args, c["mode"])
    assert got.shape == ref.shape and got.dtype == ref.dtype and got.is_contiguous()
    torch.testing.assert_close(got, ref, **(TOL64 if c["dtype"] == torch.float64 else TOL32))


def test_an_impulse_lands_on_the_dilated_taps_and_padding_adds_nothing() -> None:
    # one lit pixel, a ones kernel: the output is lit exactly where a tap d apart reads the pixel
    x = torch.zeros(1, 1, 13, 13)
    x[0, 0, 6, 6] = 1.0
    w = torch.ones(1, 1, 3, 3)
    y = direct.conv2d(x, w, None, (1, 1), (4, 4), (4, 4), 1)
    assert (y[0, 0] != 0).nonzero().tolist() == [[r, c] for r in (2, 6, 10) for c in (2, 6, 10)]
    ones = torch.ones(1, 1, 5, 5)
    y = direct.conv2d(ones, torch.ones(1, 1, 3, 3), None, (1, 1), (1, 1), (1, 1), 1)
    assert y[0, 0, 0, 0].item() == 4.0 and y[0, 0, 2, 2].item() == 9.0  # a corner sums 4 taps, no padding


def test_applies_only_where_the_loop_can_run() -> None:
    x, w = torch.zeros(1, 32, 16, 16), torch.zeros(32, 1, 3, 3)
    assert engine.applicable("direct", engine.conv_shape(x, w, padding=2, dilation=2, groups=32))
    dense = engine.conv_shape(torch.zeros(1, 16, 16, 16), torch.zeros(8, 16, 3, 3), padding=1)
    assert not engine.applicable("direct", dense)  # 144 taps per output: the GEMM kernels' ground
    half = engine.conv_shape(x.half(), w.half(), padding=1, groups=32)
    assert not engine.applicable("direct", half)
    w.requires_grad_(True)
    assert not engine.applicable("direct", engine.conv_shape(x, w, padding=1, groups=32))  # autograd
    with torch.no_grad():
        assert engine.applicable("direct", engine.conv_shape(x, w, padding=1, groups=32))


def test_without_numba_the_algorithm_does_not_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(direct, "available", lambda: False)
    shape = engine.conv_shape(torch.zeros(1, 4, 8, 8), torch.zeros(4, 1, 3, 3), padding=1, groups=4)
    assert not engine.applicable("direct", shape)
    assert (
        "direct"
        not in engine.time_algorithms(
            torch.zeros(1, 4, 8, 8), torch.zeros(4, 1, 3, 3), padding=1, groups=4
        ).seconds
    )


def test_calls_from_several_threads_at_once_are_all_right() -> None:
    # the Streamlit server runs sessions in threads: the loop is entered by one at a time, each correct
    gen = torch.Generator().manual_seed(3)
    jobs = [
        (torch.randn(1, 8, 64, 48, generator=gen), torch.randn(8, 1, 3, 3, generator=gen), d)
        for d in range(1, 9)
    ]
    errors: list[BaseException] = []

    def work(x: torch.Tensor, w: torch.Tensor, d: int) -> None:
        try:
            for _ in range(5):
                got = direct.conv2d(x, w, None, (1, 1), (d, d), (d, d), 8)
                torch.testing.assert_close(got, F.conv2d(x, w, None, 1, d, d, 8), **TOL32)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_chosen_conv2d_direct_runs_at_inference_and_gives_way_while_training() -> None:
    torch.manual_seed(0)
    ref = nn.Conv2d(8, 8, 3, padding=5, dilation=5, groups=8)
    mod = engine.ChosenConv2d(8, 8, 3, padding=5, dilation=5, groups=8, algorithm="direct")
    mod.load_state_dict(ref.state_dict())
    x = torch.randn(2, 8, 30, 30)
    with torch.no_grad():
        torch.testing.assert_close(mod(x), ref(x), **TOL32)
    y = mod(x)  # parameters need gradients: the chooser takes over, the graph is recorded
    (gw,) = torch.autograd.grad(y.square().sum(), (mod.weight,))
    (gw_ref,) = torch.autograd.grad(ref(x).square().sum(), (ref.weight,))
    torch.testing.assert_close(gw, gw_ref, rtol=1e-3, atol=1e-3)
