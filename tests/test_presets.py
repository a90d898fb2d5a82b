"""The Receptive field page's presets (``dsdcn.presets``): extents, strides and holes, and the real
torch stacks they stand for."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dsdcn import (
    PRESETS,
    branch_fields,
    gridding,
    parse_stack,
    receptive_field,
    union_field,
)
from dsdcn.fieldmap import (
    field_start,
)
from dsdcn.stack import stack_rows


def torch_stack_2d(layers, x: torch.Tensor) -> torch.Tensor:
    """Run the stack as real torch layers (1 channel, ones weights, average pooling)."""
    for layer in layers:
        if layer.kind == "pool":
            x = F.avg_pool2d(x, layer.kernel_size, layer.stride, layer.padding, count_include_pad=True)
            assert layer.dilation == 1
        else:
            w = torch.ones(1, 1, layer.kernel_size, layer.kernel_size, dtype=x.dtype)
            x = F.conv2d(x, w, stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
    return x


class TestPresets:
    EXPECTED = {  # extent, effective stride, holes per axis
        "plain": (9, 1, 0),
        "gridding": (13, 1, 6),
        "hdc": (17, 1, 0),
        "sawtooth": (33, 1, 0),
        "context": (67, 1, 0),
        "wavenet": (1024, 1, 0),
        "aspp": (203, 16, 0),
        "vgg": (196, 16, 0),
    }

    def test_all_there(self) -> None:
        assert set(PRESETS) == set(self.EXPECTED)

    @pytest.mark.parametrize("key", sorted(EXPECTED))
    def test_extent_stride_holes(self, key) -> None:
        preset = PRESETS[key]
        rf = receptive_field(preset.layers)[-1]
        g = gridding(preset.layers, preset.causal)
        assert (rf.size, rf.stride, g.holes_1d) == self.EXPECTED[key]
        assert parse_stack(stack_rows(preset.layers)).layers == preset.layers

    def test_dilations(self) -> None:
        assert [la.dilation for la in PRESETS["context"].layers] == [1, 1, 2, 4, 8, 16, 1]
        assert [la.dilation for la in PRESETS["sawtooth"].layers] == [1, 2, 5, 1, 2, 5]
        wave = PRESETS["wavenet"]
        assert wave.mode == "1d" and wave.causal and {la.kernel_size for la in wave.layers} == {2}
        assert [la.dilation for la in wave.layers] == [2**i for i in range(10)]
        assert PRESETS["aspp"].branch_rates == (6, 12, 18)
        assert sum(la.kind == "pool" for la in PRESETS["vgg"].layers) == 4

    @pytest.mark.parametrize("key", ["aspp", "vgg"])
    def test_output_stride_and_field_in_real_torch(self, key) -> None:
        layers = PRESETS[key].layers
        rf = receptive_field(layers)[-1]
        n = 512
        x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)
        out = torch_stack_2d(layers, x + 1.0)
        assert math.ceil(n / out.shape[-1]) in (16, 17)  # output stride 16
        i = out.shape[-1] // 2
        out[0, 0, i, i].backward()
        rows = np.flatnonzero(x.grad[0, 0].abs().sum(dim=1).numpy() > 0)
        assert rows.size == rf.size and rows[0] == i * rf.stride - rf.padding == i * 16 + field_start(layers)

    def test_aspp_branches(self) -> None:
        branches = branch_fields(PRESETS["aspp"].layers, PRESETS["aspp"].branch_rates)
        assert [b.tap_gap for b in branches] == [96, 192, 288]
        assert [b.holes for b in branches] == [0, 0, 170]
        assert [b.field.counts.size for b in branches] == [395, 587, 779]
        union = union_field([b.field for b in branches])
        assert union.holes == 0 and union.counts.size == 779
        # the union of the three branch fields, as torch sees it: one output reading all branches
        start = min(b.field.start for b in branches)
        for b in branches:
            lo = b.field.start - start
            assert (union.counts[lo : lo + b.field.counts.size] >= b.field.counts).all()
