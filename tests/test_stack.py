"""Parsing the editable layer table and the rates box (``dsdcn.stack``)."""

from __future__ import annotations

import numpy as np
import pytest

from dsdcn import (
    Layer,
    parse_rates,
    parse_stack,
)
from dsdcn.stack import stack_rows


class TestParse:
    def test_valid_rows_and_cell_types(self) -> None:
        rows = [
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 2, "padding": 2},
            {"kind": "pool", "kernel": 2.0, "stride": "2", "dilation": 1, "padding": 0},
            {"kind": None, "kernel": np.int64(5), "stride": 1.0, "dilation": 1, "padding": 2},
        ]
        parsed = parse_stack(rows)
        assert parsed.problems == ()
        assert parsed.layers == (Layer(3, 1, 2, 2), Layer(2, 2, 1, 0, "pool"), Layer(5, 1, 1, 2))
        assert parsed.rows == (1, 2, 3)

    def test_bad_rows_are_left_out_with_a_message(self) -> None:
        rows = [
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": float("nan"), "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": 3, "stride": 0, "dilation": 1, "padding": 1},
            {"kind": "deconv", "kernel": 3, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": 2.5, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": "three", "stride": 1, "dilation": 1, "padding": 1},
            {"kind": None, "kernel": None, "stride": None, "dilation": None, "padding": None},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 99999, "padding": 1},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1, "padding": -1},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 2, "padding": 2},
        ]
        parsed = parse_stack(rows)
        assert parsed.rows == (1, 10)
        messages = {p.row: p.message for p in parsed.problems}
        assert "kernel is empty" in messages[2]
        assert "stride must be from 1 to 16, got 0" in messages[3]
        assert "kind must be conv or pool" in messages[4]
        assert "whole number" in messages[5] and "whole number" in messages[6]
        assert messages[7] == "the row is empty"
        assert "dilation must be from 1 to 4096" in messages[8]
        assert "padding must be from 0" in messages[9]

    def test_max_layers(self) -> None:
        parsed = parse_stack(stack_rows([Layer(3)] * 5), max_layers=3)
        assert len(parsed.layers) == 3 and [p.row for p in parsed.problems] == [4, 5]

    def test_rates(self) -> None:
        assert parse_rates("") == ()
        assert parse_rates(" 6, 12 ;18 ") == (6, 12, 18)
        for bad, match in (
            ("6, x", "whole numbers"),
            ("0", "from 1"),
            ("1 " * 9, "at most 8"),
            ("-3", "whole"),
        ):
            with pytest.raises(ValueError, match=match):
                parse_rates(bad)
