"""dsdcn.filters (the Image lab's engine) checked against torch's own modules and functions."""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from torch import nn

from dsdcn import filters as fl
from dsdcn.figures.imaging import ImagingText, create_response_heatmap, create_stats_chart
from dsdcn.filters import run as fr
from dsdcn.imaging import image_digest, inspect_image, thumbnail
from dsdcn.layers import DSDilatedConv2d
from dsdcn.receptive import Layer, coverage_2d

from .image_lab_corpus import bad_files, good_files

ALL_FILTERS = ("sobel_x", "sobel_y", "laplacian", "gaussian", "gabor", "box", "identity", "random")


def _image(c: int = 3, h: int = 13, w: int = 11, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand((1, c, h, w), generator=g)


def _reference(x: torch.Tensor, bank: fl.FilterBank, kind: str, d: int, mode: str) -> torch.Tensor:
    """The same layer built from torch.nn modules with the weights set by hand: (F, M, H, W)."""
    f, c, k, _ = bank.kernels.shape
    pad = d * (k - 1) // 2
    with torch.no_grad():
        if kind in ("standard", "dilated"):
            conv = nn.Conv2d(c, f, k, dilation=d, padding=pad, padding_mode=mode, bias=False)
            conv.weight.copy_(bank.kernels / c)
            return conv(x).reshape(f, 1, *x.shape[2:])
        dw = nn.Conv2d(c, c * f, k, dilation=d, padding=pad, padding_mode=mode, groups=c, bias=False)
        for ch in range(c):
            for j in range(f):
                dw.weight[ch * f + j, 0] = bank.kernels[j, ch]
        y = dw(x)
        if kind == "depthwise":
            return y.reshape(c, f, *x.shape[2:]).transpose(0, 1)
        pw = nn.Conv2d(c * f, f, 1, bias=False)
        pw.weight.zero_()
        for ch in range(c):
            for j in range(f):
                pw.weight[j, ch * f + j] = 1.0 / c
        return pw(y).reshape(f, 1, *x.shape[2:])


def _assert_stats_row(stats: fl.MapStats, i: int, flat: torch.Tensor, ref0: torch.Tensor) -> None:
    """Row ``i`` of ``stats`` against plain float64 torch reductions of the full maps ``flat`` (F, N).

    Tolerances: min and max are order statistics of float32 maps that the run makes band by band, by
    the algorithm that is fastest for a band's shape, so they agree with the full maps' to float32
    rounding (rtol 1e-6), not bit for bit; sums run in float32
    within a block and float64 across blocks (relative error ~1e-7, so rtol 1e-5); the standard
    deviation comes from sum and sum of squares (cancellation: rtol 1e-4); differences are float32.
    """

    def close(got: np.ndarray, want: torch.Tensor, rtol: float, atol: float) -> None:
        torch.testing.assert_close(
            torch.from_numpy(np.asarray(got, dtype=np.float64)), want, rtol=rtol, atol=atol
        )

    close(stats.minimum[i], flat.amin(1), 1e-6, 1e-7)
    close(stats.maximum[i], flat.amax(1), 1e-6, 1e-7)
    close(stats.mean[i], flat.mean(1), 1e-5, 1e-7)
    close(stats.std[i], flat.std(1, correction=0), 1e-4, 1e-6)
    close(stats.mean_abs[i], flat.abs().mean(1), 1e-5, 1e-7)
    diff = (flat - ref0).abs()
    close(stats.diff_mean_abs[i], diff.mean(1), 1e-5, 1e-7)
    close(stats.diff_max_abs[i], diff.amax(1), 1e-6, 1e-7)


def _laid_out(t: torch.Tensor, layout: str) -> torch.Tensor:
    """``t`` in NCHW, channels_last, or neither (a strided view holding the same values)."""
    if layout == "nchw":
        return t.contiguous()
    if layout == "channels_last":
        return t.contiguous(memory_format=torch.channels_last)
    strided = torch.repeat_interleave(t, 2, dim=3)[:, :, :, ::2]
    assert not strided.is_contiguous() and not strided.is_contiguous(memory_format=torch.channels_last)
    return strided


# --- filters -----------------------------------------------------------------------------------------


class TestFilters:
    def test_classic_3x3_kernels(self) -> None:
        sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]) / 8
        np.testing.assert_allclose(fl.sobel_kernel(3, "x"), sobel)
        np.testing.assert_allclose(fl.sobel_kernel(3, "y"), sobel.T)
        np.testing.assert_allclose(fl.laplacian_kernel(3), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
        np.testing.assert_allclose(fl.box_kernel(3), np.full((3, 3), 1 / 9))
        assert fl.identity_kernel(5)[2, 2] == 1 and fl.identity_kernel(5).sum() == 1

    @pytest.mark.parametrize("k", [3, 5, 7, 9])
    def test_kernels_answer_as_documented(self, k: int) -> None:
        # a ramp of slope 1 gives 1 through Sobel x; the paraboloid (x^2+y^2)/2 gives 2 through the Laplacian
        off = np.arange(k) - k // 2
        yy, xx = np.meshgrid(off, off, indexing="ij")
        assert (fl.sobel_kernel(k, "x") * xx).sum() == pytest.approx(1.0)
        assert (fl.sobel_kernel(k, "y") * yy).sum() == pytest.approx(1.0)
        assert (fl.laplacian_kernel(k) * (xx**2 + yy**2) / 2).sum() == pytest.approx(2.0)
        assert fl.laplacian_kernel(k).sum() == pytest.approx(0.0, abs=1e-12)
        assert fl.gaussian_kernel(k).sum() == pytest.approx(1.0)
        gabor = fl.gabor_kernel(k, 0.3)
        assert gabor.sum() == pytest.approx(0.0, abs=1e-12)
        assert np.abs(gabor).sum() == pytest.approx(1.0)

    def test_bank_labels_and_shapes(self) -> None:
        bank = fl.make_bank(ALL_FILTERS, kernel_size=5, channels=3, gabor_orientations=3, random_count=2)
        assert bank.labels == (
            "Sobel x",
            "Sobel y",
            "Laplacian",
            "Gaussian",
            "Gabor 0°",
            "Gabor 60°",
            "Gabor 120°",
            "Box",
            "Identity",
            "Random 1",
            "Random 2",
        )
        assert bank.kernels.shape == (11, 3, 5, 5) and bank.kernels.dtype == torch.float32
        assert bank.size == 11 and bank.channels == 3 and bank.kernel_size == 5
        # fixed filters repeat on every channel, random ones differ per channel
        assert torch.equal(bank.kernels[0, 0], bank.kernels[0, 2])
        assert not torch.equal(bank.kernels[9, 0], bank.kernels[9, 1])

    def test_bank_codes_are_data_and_follow_selection(self) -> None:
        bank = fl.make_bank(("sobel_x", "gabor", "random"), 3, 1, gabor_orientations=4, random_count=2)
        assert bank.codes == (
            fl.FilterCode("sobel_x"),
            fl.FilterCode("gabor", 0.0),
            fl.FilterCode("gabor", 45.0),
            fl.FilterCode("gabor", 90.0),
            fl.FilterCode("gabor", 135.0),
            fl.FilterCode("random", 1),
            fl.FilterCode("random", 2),
        )
        # the Gabor angle in the code is the one the kernel is built with
        assert torch.allclose(bank.kernels[2, 0], torch.from_numpy(fl.gabor_kernel(3, math.pi / 4)).float())
        part = bank.select(1, 3)
        assert part.codes == bank.codes[1:3] and part.labels == ("Gabor 0°", "Gabor 45°")
        x = torch.rand(1, 1, 16, 16)
        run = fl.run_bank(x, bank, "dilated", (1, 2))
        assert run.codes == bank.codes and run.labels == bank.labels

    def test_random_filters_come_from_the_seed(self) -> None:
        a = fl.make_bank(("random",), 3, 3, random_count=3, seed=7).kernels
        b = fl.make_bank(("random",), 3, 3, random_count=3, seed=7).kernels
        c = fl.make_bank(("random",), 3, 3, random_count=3, seed=8).kernels
        assert torch.equal(a, b) and not torch.equal(a, c)
        assert float(a.abs().max()) <= 1 / 3
        g = torch.Generator().manual_seed(7)
        expected = (2 * torch.rand((3, 3, 3), generator=g) - 1) / 3
        assert torch.equal(a[0], expected)

    @pytest.mark.parametrize(
        ("kwargs", "word"),
        [
            ({"filters": ()}, "filters"),
            ({"filters": ("sobel",)}, "filters"),
            ({"filters": ("box",), "kernel_size": 4}, "kernel_size"),
            ({"filters": ("box",), "kernel_size": 17}, "kernel_size"),
            ({"filters": ("box",), "channels": 0}, "channels"),
            ({"filters": ("gabor",), "gabor_orientations": 0}, "gabor_orientations"),
            ({"filters": ("random",), "random_count": 30}, "limit"),
        ],
    )
    def test_bad_bank_arguments_raise(self, kwargs: dict, word: str) -> None:
        with pytest.raises(ValueError, match=word):
            fl.make_bank(**kwargs)

    def test_dilate_kernel_is_the_dilated_conv(self) -> None:
        x = _image(1, 20, 20)
        w = torch.randn(3, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
        spread = torch.from_numpy(fl.dilate_kernel(w, 3))
        assert spread.shape == (7, 7)
        a = F.conv2d(x.double(), w.view(1, 1, 3, 3), dilation=3)
        b = F.conv2d(x.double(), spread.view(1, 1, 7, 7))
        torch.testing.assert_close(a, b)


# --- convolutions ------------------------------------------------------------------------------------


class TestFeatureMaps:
    @pytest.mark.parametrize("kind", fl.LAYER_KINDS)
    @pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
    def test_equal_to_torch_modules(self, kind: str, mode: str) -> None:
        x = _image(3, 17, 15)
        bank = fl.make_bank(("sobel_x", "gaussian", "random"), 3, 3, random_count=2, seed=3)
        for d in [1] if kind == "standard" else [1, 2, 5, 7]:
            got = fl.feature_maps(x, bank, kind, d, mode)
            want = _reference(x, bank, kind, d, mode)
            assert got.shape == (4, 3 if kind == "depthwise" else 1, 17, 15)
            # every kind runs by the algorithm the chooser picks (dsdcn.engine): other kernels than
            # nn.Conv2d's default call, summing in another order, so equal to float32 rounding, not bit
            # for bit (on AVX2-only CPUs channels_last depthwise differs by about 1.5e-7)
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)

    @given(
        h=st.integers(1, 12),
        w=st.integers(1, 12),
        k=st.sampled_from([3, 5]),
        d=st.integers(1, 8),
        c=st.sampled_from([1, 3]),
        kind=st.sampled_from(["dilated", "depthwise", "separable"]),
        mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
    )
    def test_property_any_size_kernel_dilation(self, h, w, k, d, c, kind, mode) -> None:
        x = _image(c, h, w, seed=h * 31 + w)
        bank = fl.make_bank(("laplacian", "random"), k, c, random_count=1, seed=d)
        ok, bad = fl.usable_dilations(h, w, k, [d], mode)
        if bad:
            # torch refuses the same padding: the library says so first, with a ValueError
            with pytest.raises(ValueError, match="padding"):
                fl.feature_maps(x, bank, kind, d, mode)
            with pytest.raises(RuntimeError):
                _reference(x, bank, kind, d, mode)
            return
        got = fl.feature_maps(x, bank, kind, d, mode)
        torch.testing.assert_close(got, _reference(x, bank, kind, d, mode), rtol=1e-6, atol=1e-6)

    def test_separable_matches_dsdilatedconv2d_and_the_dense_layer(self) -> None:
        x = _image(3, 21, 19)
        bank = fl.make_bank(("sobel_y", "gabor", "random"), 5, 3, gabor_orientations=2, seed=4)
        dw, pw = fl.layer_weights(bank, "separable")
        module = DSDilatedConv2d(
            3, bank.size, kernel_size=5, dilation=3, padding="same", depth_multiplier=bank.size
        )
        with torch.no_grad():
            module.depthwise.weight.copy_(dw)
            module.pointwise.weight.copy_(pw)
            want = module(x)
        got = fl.feature_maps(x, bank, "separable", 3, "zeros")
        torch.testing.assert_close(got[:, 0], want[0], rtol=1e-6, atol=1e-6)
        # a dense kernel that is one filter per channel factors exactly: same maps, another route
        dense = fl.feature_maps(x, bank, "dilated", 3, "zeros")
        torch.testing.assert_close(got, dense, rtol=1e-5, atol=1e-6)

    def test_grey_input_makes_every_kind_agree(self) -> None:
        x = _image(1, 12, 12)
        bank = fl.make_bank(("sobel_x", "box"), 3, 1)
        maps = [
            fl.feature_maps(x, bank, kind, 2, "reflect") for kind in ("dilated", "depthwise", "separable")
        ]
        for m in maps[1:]:
            torch.testing.assert_close(m, maps[0])

    def test_standard_is_dilation_one_and_bad_inputs_raise(self) -> None:
        x = _image(3, 8, 8)
        bank = fl.make_bank(("box",), 3, 3)
        with pytest.raises(ValueError, match="standard"):
            fl.feature_maps(x, bank, "standard", 2)
        with pytest.raises(ValueError, match="kind"):
            fl.feature_maps(x, bank, "grouped", 1)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="channels"):
            fl.feature_maps(_image(1, 8, 8), bank, "dilated", 1)
        with pytest.raises(ValueError, match="dilation"):
            fl.feature_maps(x, bank, "dilated", 0)
        with pytest.raises(ValueError, match="reflect"):
            fl.feature_maps(x, bank, "dilated", 8, "reflect")

    def test_one_pixel_image_keeps_its_size(self) -> None:
        # the 3x3 kernel at d = 8 spans 17 px: 'same' padding keeps the 1x1 size, 8 taps read zeros
        x = torch.full((1, 3, 1, 1), 0.5)
        bank = fl.make_bank(("box", "identity"), 3, 3)
        maps = fl.feature_maps(x, bank, "dilated", 8, "zeros")
        assert maps.shape == (2, 1, 1, 1)
        assert float(maps[0, 0, 0, 0]) == pytest.approx(0.5 / 9)
        assert float(maps[1, 0, 0, 0]) == pytest.approx(0.5)
        assert fl.taps_inside(1, 1, 3, 8) == 1
        assert fl.taps_inside(100, 100, 3, 8) == 9
        assert fl.taps_inside(1, 100, 3, 8) == 3
        assert fl.usable_dilations(1, 1, 3, [1, 2], "reflect") == ((), (1, 2))
        assert fl.usable_dilations(2, 5, 3, [1, 2, 3], "circular") == ((1, 2), (3,))

    def test_image_tensor(self) -> None:
        rgb = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
        x = fl.image_tensor(rgb)
        assert x.shape == (1, 3, 5, 7)
        torch.testing.assert_close(x[0, 1], torch.from_numpy(rgb[:, :, 1].astype(np.float32) / 255))
        grey = fl.image_tensor(rgb, grey=True)
        want = (rgb.astype(np.float64) @ np.array(fl.LUMA)) / 255
        np.testing.assert_allclose(grey[0, 0].numpy(), want, rtol=1e-6, atol=1e-6)
        with pytest.raises(ValueError, match="uint8"):
            fl.image_tensor(rgb.astype(np.float32))

    def test_layer_cost_counts_the_real_weights(self) -> None:
        bank = fl.make_bank(("sobel_x", "gabor"), 5, 3, gabor_orientations=3)
        for kind in fl.LAYER_KINDS:
            first, pointwise = fl.layer_weights(bank, kind)
            n = first.numel() + (pointwise.numel() if pointwise is not None else 0)
            cost = fl.layer_cost(kind, 3, bank.size, 5, 40, 30, 1 if kind == "standard" else 4)
            assert cost.params == n
            assert cost.macs == n * 40 * 30


# --- a whole run ---------------------------------------------------------------------------------------


class TestRunBank:
    @pytest.mark.parametrize("kind", ["dilated", "depthwise", "separable"])
    @pytest.mark.parametrize("band_bytes", [fl.BAND_BYTES, 1, 2000])
    def test_statistics_previews_and_crops(self, kind: str, band_bytes: int, monkeypatch) -> None:
        monkeypatch.setattr(fr, "BAND_BYTES", band_bytes)  # 1 byte: bands of one row; 2000: a few rows
        x = _image(3, 37, 29)  # 37 * 29 pixels: prime factors only, no pixel grouping
        bank = fl.make_bank(("sobel_x", "laplacian", "random"), 3, 3, random_count=2, seed=5)
        run = fl.run_bank(x, bank, kind, (1, 3, 6), "reflect", preview_side=16, crop_side=10)
        m = 3 if kind == "depthwise" else 1
        assert run.preview.shape == (3, 4, m, 16, 13) and run.preview.dtype == np.float16
        assert run.crop.shape == (3, 4, m, 10, 10) and run.crop_box == (13, 9, 10, 10)
        assert run.map_channels == m and run.dilations == (1, 3, 6) and len(run.conv_seconds) == 3
        ref0 = fl.feature_maps(x, bank, kind, 1, "reflect").double()
        for i, d in enumerate(run.dilations):
            maps = fl.feature_maps(x, bank, kind, d, "reflect").double()
            flat = maps.reshape(4, -1)
            np.testing.assert_allclose(run.stats.minimum[i], flat.amin(1).numpy(), rtol=1e-6)
            np.testing.assert_allclose(run.stats.maximum[i], flat.amax(1).numpy(), rtol=1e-6)
            np.testing.assert_allclose(run.stats.mean[i], flat.mean(1).numpy(), rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(
                run.stats.std[i], flat.std(1, correction=0).numpy(), rtol=1e-4, atol=1e-6
            )
            np.testing.assert_allclose(run.stats.mean_abs[i], flat.abs().mean(1).numpy(), rtol=1e-5)
            q = torch.quantile(flat, torch.tensor([0.005, 0.995], dtype=torch.float64), dim=1).numpy()
            np.testing.assert_allclose(run.stats.low[i], q[0], rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(run.stats.high[i], q[1], rtol=1e-5, atol=1e-7)
            diff = (maps - ref0).reshape(4, -1).abs()
            np.testing.assert_allclose(run.stats.diff_mean_abs[i], diff.mean(1).numpy(), rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(run.stats.diff_max_abs[i], diff.amax(1).numpy(), rtol=1e-5, atol=1e-7)
            pooled = F.adaptive_avg_pool2d(maps.reshape(4 * m, 37, 29).float(), (16, 13)).reshape(
                4, m, 16, 13
            )
            np.testing.assert_allclose(
                run.preview[i].astype(np.float32), pooled.numpy(), rtol=2e-3, atol=2e-3
            )
            crop = maps[:, :, 13:23, 9:19].float().numpy()
            np.testing.assert_allclose(run.crop[i].astype(np.float32), crop, rtol=2e-3, atol=2e-3)
        assert np.all(run.stats.diff_mean_abs[0] == 0)

    def test_channels_last_statistics_on_a_big_map(self) -> None:
        # pixel grouping and blocks of the channels_last path, on a size that splits into many blocks
        x = _image(3, 256, 192)
        bank = fl.make_bank(("gabor", "random"), 3, 3, gabor_orientations=4, random_count=4)
        run = fl.run_bank(x, bank, "depthwise", (2,), "zeros")
        maps = fl.feature_maps(x, bank, "depthwise", 2, "zeros").double().reshape(8, -1)
        np.testing.assert_allclose(run.stats.std[0], maps.std(1, correction=0).numpy(), rtol=1e-4)
        np.testing.assert_allclose(run.stats.mean_abs[0], maps.abs().mean(1).numpy(), rtol=1e-5)
        np.testing.assert_allclose(run.stats.minimum[0], maps.amin(1).numpy())
        assert fl.percentile_step(256, 192) == 1 and fl.percentile_step(2048, 2048) == 6

    @pytest.mark.parametrize("kind", ["dilated", "depthwise", "separable"])
    def test_statistics_equal_plain_reductions_when_layouts_change(self, kind: str, monkeypatch) -> None:
        # the conv chooser may hand back NCHW at one dilation and channels_last at the next: the
        # differences to the first dilation then read the reference in another layout than the maps
        original = fr._band_maps

        def alternating(x, weights, kind, d, mode, start, stop):
            y = original(x, weights, kind, d, mode, start, stop)
            return y.contiguous(memory_format=torch.channels_last) if d % 2 else y.contiguous()

        monkeypatch.setattr(fr, "_band_maps", alternating)
        monkeypatch.setattr(fr, "BAND_BYTES", 3000)  # bands of a few rows
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES", 8192)  # many blocks, a partial last one
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES_LARGE", 8192)
        x = _image(3, 48, 40)
        bank = fl.make_bank(("sobel_y", "gaussian", "random"), 3, 3, random_count=2, seed=2)
        run = fl.run_bank(x, bank, kind, (1, 2, 3, 4), "replicate", preview_side=20, crop_side=8)
        m = 3 if kind == "depthwise" else 1
        ref0 = fl.feature_maps(x, bank, kind, 1, "replicate").double().reshape(4, -1)
        for i, d in enumerate(run.dilations):
            maps = fl.feature_maps(x, bank, kind, d, "replicate").double()
            flat = maps.reshape(4, -1)
            _assert_stats_row(run.stats, i, flat, ref0)
            pooled = F.adaptive_avg_pool2d(maps.reshape(4 * m, 48, 40), (20, 17)).reshape(4, m, 20, 17)
            torch.testing.assert_close(
                torch.from_numpy(run.preview[i].astype(np.float64)), pooled, rtol=2e-3, atol=2e-3
            )

    @pytest.mark.parametrize("large", [1 << 14, 1 << 17, 1 << 30])
    def test_statistics_equal_plain_reductions_at_any_block_size(self, large: int, monkeypatch) -> None:
        # the fused blocked pass against plain torch reductions on the full maps (float64), with blocks
        # of one size, or of two sizes taken as they measure (so they mix within a run)
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES", 1 << 14)
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES_LARGE", large)
        x = _image(3, 160, 128)
        bank = fl.make_bank(("laplacian", "gabor", "random"), 5, 3, gabor_orientations=2, seed=9)
        for kind in ("dilated", "depthwise"):
            run = fl.run_bank(x, bank, kind, (1, 3), "reflect")
            ref0 = fl.feature_maps(x, bank, kind, 1, "reflect").double().reshape(bank.size, -1)
            for i, d in enumerate(run.dilations):
                flat = fl.feature_maps(x, bank, kind, d, "reflect").double().reshape(bank.size, -1)
                _assert_stats_row(run.stats, i, flat, ref0)

    def test_bad_runs_raise(self) -> None:
        x = _image(3, 8, 8)
        bank = fl.make_bank(("box",), 3, 3)
        with pytest.raises(ValueError, match="dilations"):
            fl.run_bank(x, bank, "dilated", ())
        with pytest.raises(ValueError, match="at most"):
            fl.run_bank(x, bank, "dilated", tuple(range(1, 10)))
        with pytest.raises(ValueError, match="reflect"):
            fl.run_bank(x, bank, "dilated", (1, 9), "reflect")


# --- stacks --------------------------------------------------------------------------------------------


class TestStacks:
    def test_parse_schedule(self) -> None:
        assert fl.parse_schedule("1, 2, 5") == (1, 2, 5)
        assert fl.parse_schedule(" 2 2,2 ") == (2, 2, 2)
        for bad, word in [
            ("", "at least"),
            ("1, x", "whole"),
            ("0", "from 1"),
            ("65", "from 1 to 64"),
            ("1,-2", "whole"),
            ("1 " * 9, "at most"),
        ]:
            with pytest.raises(ValueError, match=word):
                fl.parse_schedule(bad)

    def test_run_stack_equals_chained_modules(self) -> None:
        x = _image(3, 30, 26)
        kernel = torch.from_numpy(fl.gaussian_kernel(3).astype(np.float32))
        y = fl.run_stack(x, kernel, (1, 2, 5), "reflect")
        ref = x
        with torch.no_grad():
            for d in (1, 2, 5):
                conv = nn.Conv2d(3, 3, 3, dilation=d, padding=d, padding_mode="reflect", groups=3, bias=False)
                conv.weight.copy_(kernel.expand(3, 1, 3, 3))
                ref = conv(ref)
        # run_stack hands channels_last to the conv chooser, nn.Conv2d runs NCHW: other kernels, other
        # summation orders (about 1e-7 apart on AVX2 CPUs), so equal to float32 rounding, not bit for bit
        torch.testing.assert_close(y, ref, rtol=1e-6, atol=1e-6)

    @pytest.mark.parametrize("schedule", [(2, 2, 2), (1, 2, 5), (1, 2, 4, 8), (3,)])
    def test_response_support_is_the_exact_coverage(self, schedule) -> None:
        layers = [Layer(3, 1, d) for d in schedule]
        counts = coverage_2d(layers).astype(np.float64)
        response = fl.stack_response(fl.box_kernel(3), schedule)
        assert response.shape == counts.shape == (fl.stack_extent(3, schedule),) * 2
        # every path carries (1/9) per layer: weights are path counts / 9^L
        np.testing.assert_allclose(response, counts / 9.0 ** len(schedule), rtol=1e-12)
        assert ((response == 0) == (counts == 0)).all()

    def test_response_is_what_the_stack_does_to_an_image(self) -> None:
        # a signed kernel: the response, laid on the input patch, gives the stack's output pixel
        kernel = torch.from_numpy(fl.sobel_kernel(3, "x"))
        schedule = (1, 3)
        r = fl.stack_response(kernel, schedule)
        half = r.shape[0] // 2
        x = _image(1, 31, 31).double()
        y = fl.run_stack(x, kernel, schedule, "zeros")
        patch = x[0, 0, 15 - half : 15 + half + 1, 15 - half : 15 + half + 1].numpy()
        assert float(y[0, 0, 15, 15]) == pytest.approx(float((r * patch).sum()), rel=1e-9)

    def test_run_stacks(self) -> None:
        x = _image(3, 40, 32)
        kernel = torch.from_numpy(fl.box_kernel(3).astype(np.float32))
        run = fl.run_stacks(x, kernel, (2, 2, 2), (1, 2, 5), "replicate", preview_side=20, crop_side=8)
        a = fl.run_stack(x, kernel, (2, 2, 2), "replicate")[0]
        b = fl.run_stack(x, kernel, (1, 2, 5), "replicate")[0]
        assert run.preview.shape == (2, 3, 20, 16) and run.crop.shape == (2, 3, 8, 8)
        assert run.diff_mean_abs == pytest.approx(float((a - b).abs().mean()), rel=1e-5)
        assert run.diff_max_abs == pytest.approx(float((a - b).abs().max()), rel=1e-6)
        assert run.minimum == pytest.approx(float(torch.stack([a, b]).min()))
        assert run.responses[0].shape == (13, 13) and run.responses[1].shape == (17, 17)


# --- rendering, download, fallback -------------------------------------------------------------------------


class TestRendering:
    def test_map_ranges(self) -> None:
        lo = np.array([[-1.0, 0.2], [-3.0, 0.1]])
        hi = np.array([[2.0, 0.5], [1.0, 0.9]])
        a, b = fl.map_ranges(lo, hi, "per_map", centre_zero=False)
        assert (a == lo).all() and (b == hi).all()
        a, b = fl.map_ranges(lo, hi, "per_map")
        np.testing.assert_array_equal(a, [[-2.0, 0.2], [-3.0, 0.1]])
        np.testing.assert_array_equal(b, [[2.0, 0.5], [3.0, 0.9]])
        a, b = fl.map_ranges(lo, hi, "per_filter", centre_zero=False)
        np.testing.assert_array_equal(a, [[-3.0, 0.1], [-3.0, 0.1]])
        np.testing.assert_array_equal(b, [[2.0, 0.9], [2.0, 0.9]])
        a, b = fl.map_ranges(lo, hi, "shared")
        assert (a == -3).all() and (b == 3).all()
        with pytest.raises(ValueError, match="mode"):
            fl.map_ranges(lo, hi, "per_row")

    def test_to_uint8_and_render(self) -> None:
        v = np.array([[-1.0, 0.0, 1.0, 5.0]])
        np.testing.assert_array_equal(fl.to_uint8(v, -1.0, 1.0), [[0, 128, 255, 255]])
        np.testing.assert_array_equal(fl.to_uint8(v, 2.0, 2.0), [[128] * 4])
        grey = fl.render_map(v[None], -1.0, 1.0, "grey")
        assert (
            grey.shape == (1, 4, 3) and grey[0, 0].tolist() == [0, 0, 0] and grey[0, 2].tolist() == [255] * 3
        )
        rgb = fl.render_map(np.stack([v, -v, v * 0]), -1.0, 1.0)
        assert rgb.shape == (1, 4, 3) and rgb[0, 0].tolist() == [0, 255, 128]
        lut = fl.colormap_lut("diverging")
        assert (
            lut.shape == (256, 3) and lut[0].tolist() == [33, 102, 172] and lut[255].tolist() == [178, 24, 43]
        )
        assert fl.colorbar_image("viridis", 64, 4).shape == (4, 64, 3)
        assert fl.zoom_nearest(np.eye(2, dtype=np.uint8), 3).shape == (6, 6)
        with pytest.raises(ValueError, match="colormap"):
            fl.colormap_lut("jet")

    def test_differences(self) -> None:
        maps = np.stack([np.zeros((1, 4, 4)), np.full((1, 4, 4), 2.0), np.full((1, 4, 4), -3.0)])
        diff, bound = fl.differences(maps, 0)
        assert bound == 3.0 and diff[1].max() == 2.0 and (diff[0] == 0).all()
        maps[1, 0, 0, 0] = 100.0
        _, clipped = fl.differences(maps, 0, clip_percent=5.0)
        assert 3.0 <= clipped < 100.0
        assert fl.differences(maps[:1], 0)[1] == 0.0

    def test_maps_zip_holds_every_map_rendered(self) -> None:
        x = _image(3, 9, 12)
        bank = fl.make_bank(("sobel_x", "gabor"), 3, 3, gabor_orientations=2)
        ds = (1, 2)
        run = fl.run_bank(x, bank, "depthwise", ds, "zeros")
        lo, hi = fl.map_ranges(run.stats.minimum, run.stats.maximum, "per_filter")
        data = fl.maps_zip(x, bank, "depthwise", ds, "zeros", lo, hi, "grey", run.stats, "notes")
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            assert len([n for n in names if n.endswith(".png")]) == 6
            assert "stats.csv" in names and zf.read("README.txt") == b"notes"
            png = np.asarray(Image.open(io.BytesIO(zf.read("d02_03_gabor_90deg.png"))))
            csv_text = zf.read("stats.csv").decode()
        maps = fl.feature_maps(x, bank, "depthwise", 2, "zeros")
        np.testing.assert_array_equal(png, fl.render_map(maps[2].numpy(), lo[1, 2], hi[1, 2]))
        assert png.shape == (9, 12, 3)
        assert csv_text.splitlines()[0].startswith("filter,dilation,min,max")
        assert len(csv_text.splitlines()) == 7


class TestFallbackAndAllocator:
    def test_out_of_memory_on_an_accelerator_reruns_on_the_cpu(self) -> None:
        calls: list[str] = []

        def runner(device: torch.device) -> float:
            calls.append(device.type)
            if device.type != "cpu":
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            return float(
                fl.feature_maps(
                    _image(1, 5, 5, seed=1).to(device), fl.make_bank(("box",), 3, 1), "dilated"
                ).sum()
            )

        result, used, fallback = fl.run_with_fallback(runner, torch.device("meta"))
        assert calls == ["meta", "cpu"] and used.type == "cpu"
        assert fallback is not None and fallback.device == "meta" and "out of memory" in fallback.error
        want = F.conv2d(_image(1, 5, 5, seed=1), torch.full((1, 1, 3, 3), 1 / 9), padding=1).sum()
        assert result == pytest.approx(float(want), rel=1e-6)

    def test_no_fallback_when_it_fits_and_cpu_oom_is_raised(self) -> None:
        assert fl.run_with_fallback(lambda d: d.type, torch.device("cpu")) == (
            "cpu",
            torch.device("cpu"),
            None,
        )

        def cpu_oom(device: torch.device) -> None:
            raise torch.OutOfMemoryError("CPU out of memory")

        with pytest.raises(torch.OutOfMemoryError):
            fl.run_with_fallback(cpu_oom, torch.device("cpu"))

    def test_tune_allocator(self) -> None:
        assert isinstance(fl.tune_allocator(), bool)
        with pytest.raises(ValueError, match="mmap_threshold"):
            fl.tune_allocator(-1)


# --- figures and image helpers ------------------------------------------------------------------------------


class TestFiguresAndImaging:
    def test_stats_chart(self) -> None:
        fig = create_stats_chart(["a", "b", "c"], [1, 2], np.arange(6.0).reshape(2, 3), "t", "std")
        assert [t.name for t in fig.data] == ["d = 1", "d = 2"]
        assert list(fig.data[1].y) == [3.0, 4.0, 5.0]
        with pytest.raises(ValueError, match="shape"):
            create_stats_chart(["a"], [1, 2], np.zeros((1, 1)), "t", "std")

    def test_response_heatmap_leaves_holes_blank(self) -> None:
        response = fl.stack_response(fl.box_kernel(3), (2, 2))
        fig = create_response_heatmap(response, "A")
        z = np.asarray(fig.data[0].z, dtype=np.float64)
        assert np.isnan(z).sum() == (response == 0).sum() > 0
        assert list(fig.data[0].x) == list(range(-4, 5))
        signed = create_response_heatmap(fl.stack_response(fl.sobel_kernel(3), (1,)), "S")
        assert signed.data[0].zmin == -signed.data[0].zmax

    def test_figure_texts_are_given_by_the_page(self) -> None:
        text = ImagingText(
            dilation="膨胀率", bar_name="膨胀率 {d}", weight="权重", offset_x="dx 偏移", offset_y="dy 偏移"
        )
        bars = create_stats_chart(["a"], [1, 4], np.ones((2, 1)), "t", "std", text)
        assert [b.name for b in bars.data] == ["膨胀率 1", "膨胀率 4"]
        assert bars.layout.legend.title.text == "膨胀率" and "膨胀率 4" in bars.data[1].hovertemplate
        heat = create_response_heatmap(fl.stack_response(fl.box_kernel(3), (1,)), "A", text)
        assert heat.data[0].colorbar.title.text == "权重" and "权重 = " in heat.data[0].hovertemplate
        assert (heat.layout.xaxis.title.text, heat.layout.yaxis.title.text) == ("dx 偏移", "dy 偏移")

    def test_inspect_image_on_the_corpus(self) -> None:
        files = good_files()
        assert inspect_image(files["animated.gif"][0]).frames == 3
        assert inspect_image(files["cmyk.jpg"][0]).mode == "CMYK"
        assert inspect_image(files["grey16.png"][0]).bits == 16
        assert inspect_image(files["rgba.png"][0]).has_alpha
        assert inspect_image(files["exif_rotated.jpg"][0]).orientation == 6
        for data, _ in bad_files().values():
            info = inspect_image(data)  # never raises
            assert info is None or info.format == "PNG"

    def test_digest_and_thumbnail(self) -> None:
        assert image_digest(b"abc") == image_digest(bytearray(b"abc")) != image_digest(b"abd")
        rgb = np.zeros((100, 400, 3), dtype=np.uint8)
        assert thumbnail(rgb, 200).shape == (50, 200, 3)
        assert thumbnail(rgb, 500).shape == (100, 400, 3)
        assert math.isclose(len(image_digest(b"")), 64)


class TestFusedStatistics:
    @pytest.mark.parametrize("shape", [(45, 64), (37, 29)])  # rows of 64 pixels; prime sizes, no groups
    @pytest.mark.parametrize("layout", ["nchw", "channels_last", "strided"])
    @pytest.mark.parametrize("ref_layout", [None, "nchw", "channels_last"])
    @pytest.mark.parametrize("block", [4096, 1 << 30])  # many blocks with a partial last one; one block
    def test_moments_equal_plain_torch_reductions(
        self, shape, layout, ref_layout, block, monkeypatch
    ) -> None:
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES", block)
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES_LARGE", block)
        g = torch.Generator().manual_seed(sum(shape))
        v = torch.randn((1, 6, *shape), generator=g) * 3 + 0.5
        ref = torch.randn((1, 6, *shape), generator=g)
        got = fr._moments(_laid_out(v, layout), None if ref_layout is None else _laid_out(ref, ref_layout))
        x = v.double()[0].reshape(6, -1)
        want = {
            "min": x.amin(1),
            "max": x.amax(1),
            "sum": x.sum(1),
            "sq": (x * x).sum(1),
            "abs": x.abs().sum(1),
        }
        if ref_layout is not None:
            d = (x - ref.double()[0].reshape(6, -1)).abs()
            want |= {"dabs": d.sum(1), "dmax": d.amax(1)}
        assert set(got) == set(want)
        # min and max exact; float32 sums within a block: rtol 1e-5 (atol for the signed sum near 0);
        # |v - ref| rounded to float32 once: rtol 1e-6
        tolerances = {"min": (0.0, 0.0), "max": (0.0, 0.0), "sum": (1e-5, 1e-3), "dmax": (1e-6, 0.0)}
        for name, value in want.items():
            rtol, atol = tolerances.get(name, (1e-5, 0.0))
            torch.testing.assert_close(torch.from_numpy(got[name]), value, rtol=rtol, atol=atol, msg=name)

    @pytest.mark.parametrize("layout", ["nchw", "channels_last"])
    @pytest.mark.parametrize("block", [2**22, 2**26])  # the default sizes: cache-sized and large
    def test_moments_keep_float64_accuracy_over_a_million_pixels(self, layout, block, monkeypatch) -> None:
        # positive values with an offset: float32 sums that accumulate naively (vector_norm, matrix-vector
        # products) drift by 1e-5 and more at this size; cascaded sums stay near float64
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES", block)
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES_LARGE", block)
        g = torch.Generator().manual_seed(5)
        v = 0.3 + 0.1 * torch.rand((1, 3, 1024, 1024), generator=g)
        ref = torch.rand((1, 3, 1024, 1024), generator=g)
        got = fr._moments(_laid_out(v, layout), ref)
        x, r = v.double()[0].reshape(3, -1), ref.double()[0].reshape(3, -1)
        want = {"sum": x.sum(1), "sq": (x * x).sum(1), "abs": x.abs().sum(1), "dabs": (x - r).abs().sum(1)}
        for name, value in want.items():
            torch.testing.assert_close(torch.from_numpy(got[name]), value, rtol=1e-6, atol=0.0, msg=name)

    def test_blocks_take_the_size_that_measures_faster(self, monkeypatch) -> None:
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES", 40)
        monkeypatch.setattr(fr, "STAT_BLOCK_BYTES_LARGE", 400)
        blocks, now = fr._Blocks(torch.device("cpu")), [0.0]
        blocks.clock = lambda: now[0]

        def run(count: int, seconds_per_byte: dict[int, float]) -> list[tuple[int, int]]:
            # use the spans of count items of 4 bytes; a fake clock charges each its size's cost
            spans = []
            for span in blocks.spans(count, 4):
                size = (span.stop - span.start) * 4
                now[0] += size * seconds_per_byte[40 if size <= 40 else 400]
                spans.append((span.start, span.stop))
            return spans

        # each size is tried once, then the cheaper per byte is kept; a short last block is not a measure
        assert run(250, {40: 1e-6, 400: 1e-7}) == [(0, 10), (10, 110), (110, 210), (210, 250)]
        # the machine changes: once the best of the last 4 large blocks costs more per byte, back to small
        large, small = [(i, i + 100) for i in range(0, 400, 100)], [(i, i + 10) for i in range(400, 430, 10)]
        assert run(430, {40: 1e-6, 400: 5e-6}) == large + small
        # figures older than STAT_RETRY_SECONDS are measured again, then the cheaper size wins again
        now[0] += fr.STAT_RETRY_SECONDS + 1.0
        assert run(230, {40: 1e-6, 400: 1e-7}) == [(0, 10), (10, 110), (110, 210), (210, 230)]
        assert fr._Blocks(torch.device("meta")).size() == fr.STAT_BLOCK_BYTES_LARGE  # one launch per op

    @pytest.mark.parametrize(("size", "out"), [((64, 48), (16, 12)), ((37, 29), (16, 13)), ((9, 7), (9, 7))])
    @pytest.mark.parametrize("layout", ["nchw", "channels_last"])
    def test_area_pool_is_adaptive_average_pooling(self, size, out, layout) -> None:
        x = _laid_out(torch.randn((1, 5, *size), generator=torch.Generator().manual_seed(1)), layout)
        torch.testing.assert_close(
            fr._area_pool(x, *out), F.adaptive_avg_pool2d(x, out), rtol=1e-6, atol=1e-6
        )


@pytest.mark.parametrize("n", [1, 2, 7, 200, 1001])
@pytest.mark.parametrize("q", [0.0, 0.005, 0.5, 0.995, 1.0])
def test_quantile_matches_torch(n: int, q: float) -> None:
    rows = torch.randn(3, n, generator=torch.Generator().manual_seed(n))
    want = torch.quantile(rows.double(), q, dim=1).numpy()
    np.testing.assert_allclose(fr._quantile(rows, q), want, rtol=1e-6, atol=1e-7)
