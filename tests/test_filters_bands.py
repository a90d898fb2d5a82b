"""dsdcn.filters.run_bank makes its maps in bands of rows: each band, the padding of its rows and the
area pooling of bands checked against torch's whole-image F.pad, F.conv2d and adaptive_avg_pool2d."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsdcn import filters as fl
from dsdcn.filters import maps as fm
from dsdcn.filters import run as fr

MODES = ("zeros", "reflect", "replicate", "circular")


def _image(c: int, h: int, w: int, seed: int = 0) -> torch.Tensor:
    return torch.rand((1, c, h, w), generator=torch.Generator().manual_seed(seed))


@given(
    h=st.integers(1, 12),
    w=st.integers(1, 5),
    pad=st.integers(0, 11),
    start=st.integers(0, 11),
    rows=st.integers(1, 12),
    mode=st.sampled_from(MODES),
)
def test_padded_rows_are_the_rows_of_f_pad(
    h: int, w: int, pad: int, start: int, rows: int, mode: str
) -> None:
    # F.pad's limits: reflect pads less than the size, circular at most the size
    if (mode == "reflect" and pad >= h) or (mode == "circular" and pad > h) or start >= h:
        return
    stop = min(h, start + rows)
    x = _image(2, h, w)
    padded = F.pad(x, (0, 0, pad, pad), mode="constant" if mode == "zeros" else mode)
    got = fm._padded_rows(x, start - pad, stop + pad, mode)
    torch.testing.assert_close(got, padded[:, :, start : stop + 2 * pad], rtol=0, atol=0)


@given(
    h=st.integers(1, 40),
    ph=st.integers(1, 40),
    pw=st.integers(1, 9),
    rows=st.lists(st.integers(1, 15), min_size=1, max_size=40),
)
def test_row_pool_of_bands_is_adaptive_average_pooling(h: int, ph: int, pw: int, rows: list[int]) -> None:
    # bands of any heights (the last one cut at the image's bottom), pooled to (ph, pw) as a whole image
    ph = min(ph, h)
    x = torch.randn((1, 3, h, 9), generator=torch.Generator().manual_seed(h * 41 + ph))
    pool, got, r0 = fr._RowPool(h, ph, pw), torch.full((3, ph, pw), float("nan")), 0
    for r in rows * h:
        if r0 >= h:
            break
        r1 = min(h, r0 + r)
        done = pool.add(x[:, :, r0:r1])
        if done is not None:
            got[:, done[0] : done[0] + done[1].shape[1]] = done[1]
        r0 = r1
    torch.testing.assert_close(got, F.adaptive_avg_pool2d(x, (ph, pw))[0], rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    h=st.integers(1, 30),
    w=st.integers(1, 20),
    k=st.sampled_from((3, 5, 7)),
    ds=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    kind=st.sampled_from(("dilated", "depthwise", "separable")),
    mode=st.sampled_from(MODES),
    band_bytes=st.sampled_from((1, 700, 5000, fr.BAND_BYTES)),
)
def test_a_banded_run_equals_the_whole_maps(h, w, k, ds, kind, mode, band_bytes) -> None:
    # any band height, image size, kernel, dilations and padding mode: the run's statistics, previews and
    # crop against float64 reductions of feature_maps (the whole image at once); tolerances as in
    # test_filters: float32 maps that agree to rounding, float16 previews and crops
    assume(not fl.usable_dilations(h, w, k, ds, mode)[1])  # the padding mode allows every dilation
    x = _image(3, h, w, seed=h * 100 + w)
    bank = fl.make_bank(("sobel_x", "random"), k, 3, random_count=2, seed=3)
    old = fr.BAND_BYTES
    fr.BAND_BYTES = band_bytes
    try:
        run = fl.run_bank(x, bank, kind, tuple(ds), mode, preview_side=7, crop_side=5)
    finally:
        fr.BAND_BYTES = old
    ph, pw = fl.preview_size(h, w, 7)
    top, left, ch, cw = run.crop_box
    ref0 = fl.feature_maps(x, bank, kind, ds[0], mode).double()
    for i, d in enumerate(run.dilations):
        maps = fl.feature_maps(x, bank, kind, d, mode).double()
        flat = maps.reshape(bank.size, -1)
        close = dict(rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(run.stats.minimum[i], flat.amin(1).numpy(), **close)
        np.testing.assert_allclose(run.stats.maximum[i], flat.amax(1).numpy(), **close)
        np.testing.assert_allclose(run.stats.mean[i], flat.mean(1).numpy(), **close)
        # std from sums of v and v^2: float32 squares cancel to about sqrt(eps32) * |v| (a constant map)
        spread = 1e-3 * max(1.0, float(flat.abs().max()))
        np.testing.assert_allclose(
            run.stats.std[i], flat.std(1, correction=0).numpy(), rtol=1e-4, atol=spread
        )
        diff = (maps - ref0).reshape(bank.size, -1).abs()
        np.testing.assert_allclose(run.stats.diff_mean_abs[i], diff.mean(1).numpy(), **close)
        np.testing.assert_allclose(run.stats.diff_max_abs[i], diff.amax(1).numpy(), **close)
        q = torch.quantile(flat, torch.tensor([0.005, 0.995], dtype=torch.float64), dim=1).numpy()
        np.testing.assert_allclose(run.stats.low[i], q[0], **close)
        np.testing.assert_allclose(run.stats.high[i], q[1], **close)
        m = maps.shape[1]
        pooled = F.adaptive_avg_pool2d(maps.reshape(bank.size * m, h, w), (ph, pw)).reshape(
            bank.size, m, ph, pw
        )
        np.testing.assert_allclose(run.preview[i].astype(np.float64), pooled.numpy(), rtol=2e-3, atol=2e-3)
        crop = maps[:, :, top : top + ch, left : left + cw].numpy()
        np.testing.assert_allclose(run.crop[i].astype(np.float64), crop, rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("kind", ["dilated", "depthwise", "separable"])
def test_no_full_resolution_map_is_held(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # every band the run makes is at most band_rows rows of the image, and the whole image is covered
    original, seen = fm._band_maps, []

    def spy(x, weights, kind_, d, mode, start, stop):
        seen.append((d, start, stop))
        return original(x, weights, kind_, d, mode, start, stop)

    monkeypatch.setattr(fr, "_band_maps", spy)
    monkeypatch.setattr(fr, "BAND_BYTES", 64 * 1024)
    x = _image(3, 96, 80)
    bank = fl.make_bank(("gabor",), 3, 3, gabor_orientations=4)
    fl.run_bank(x, bank, kind, (1, 4), "reflect")
    widest = 4 * (3 if kind in ("depthwise", "separable") else 1)
    rows = fl.band_rows(widest, 96, 80)
    assert rows == 64 * 1024 // (widest * 80 * 4) and rows < 96
    # every band has the same rows (one shape for the chooser): the last is the image's last rows
    assert {stop - start for _, start, stop in seen} == {rows}
    for d in (1, 4):  # the first dilation's rows are made again for the differences at d = 4
        bands = sorted({(start, stop) for dd, start, stop in seen if dd == d})
        assert bands[0][0] == 0 and bands[-1][1] == 96 and bands[-1][0] == 96 - rows
        assert all(a[1] == b[0] for a, b in zip(bands[:-1], bands[1:-1], strict=False))
    assert fl.band_rows(widest, 96, 80, "cuda") == 96  # an accelerator: one band
