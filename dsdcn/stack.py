"""A layer stack as table rows: parse the rows a person typed, report the bad ones, keep the rest.

A row is a mapping with the keys of ``STACK_COLUMNS``: ``kind`` (``"conv"`` or ``"pool"``) and the
ints ``kernel``, ``stride``, ``dilation``, ``padding``. Cells may arrive as floats (``3.0``), strings
(``"3"``), ``None`` or ``NaN`` (an empty cell), as a table widget gives them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .receptive import Layer, receptive_field

STACK_COLUMNS: tuple[str, ...] = ("kind", "kernel", "stride", "dilation", "padding")
# Limits of one cell (inclusive); the table widget uses the same ones.
CELL_LIMITS: dict[str, tuple[int, int]] = {
    "kernel": (1, 31),
    "stride": (1, 16),
    "dilation": (1, 4096),
    "padding": (0, 65536),
}
MAX_LAYERS = 64


@dataclass(frozen=True)
class RowProblem:
    """A row that was left out: its number in the table (from 1) and what is wrong."""

    row: int
    message: str


@dataclass(frozen=True)
class ParsedStack:
    """The layers of the valid rows (in order), the table row of each, and the rows left out."""

    layers: tuple[Layer, ...]
    rows: tuple[int, ...]
    problems: tuple[RowProblem, ...]


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cell_int(name: str, value: object) -> int:
    """An integer cell within ``CELL_LIMITS[name]``, else ``ValueError`` saying what to type."""
    low, high = CELL_LIMITS[name]
    if _is_empty(value):
        raise ValueError(f"{name} is empty (type a whole number from {low} to {high})")
    number: float
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    else:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    n = int(number)
    if not low <= n <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {n}")
    return n


def parse_row(row: Mapping[str, object]) -> Layer:
    """One table row as a ``Layer``; ``ValueError`` names the bad cell and the allowed values."""
    kind = row.get("kind")
    kind = "conv" if _is_empty(kind) else str(kind).strip().lower()
    if kind not in ("conv", "pool"):
        raise ValueError(f"kind must be conv or pool, got {row.get('kind')!r}")
    values = {name: _cell_int(name, row.get(name)) for name in ("kernel", "stride", "dilation", "padding")}
    return Layer(values["kernel"], values["stride"], values["dilation"], values["padding"], kind)


def parse_stack(rows: Iterable[Mapping[str, object]], max_layers: int = MAX_LAYERS) -> ParsedStack:
    """Parse table rows; bad rows are left out and reported, the valid ones form the stack.

    Rows beyond ``max_layers`` valid layers are left out too.
    """
    layers: list[Layer] = []
    kept: list[int] = []
    problems: list[RowProblem] = []
    for number, row in enumerate(rows, start=1):
        if all(_is_empty(row.get(c)) for c in STACK_COLUMNS):
            problems.append(RowProblem(number, "the row is empty"))
            continue
        try:
            layer = parse_row(row)
        except ValueError as err:
            problems.append(RowProblem(number, str(err)))
            continue
        if len(layers) >= max_layers:
            problems.append(RowProblem(number, f"a stack holds at most {max_layers} layers"))
            continue
        layers.append(layer)
        kept.append(number)
    return ParsedStack(tuple(layers), tuple(kept), tuple(problems))


def stack_rows(layers: Sequence[Layer]) -> list[dict[str, object]]:
    """Table rows for ``layers`` (the inverse of ``parse_stack``)."""
    return [
        {
            "kind": layer.kind,
            "kernel": layer.kernel_size,
            "stride": layer.stride,
            "dilation": layer.dilation,
            "padding": layer.padding,
        }
        for layer in layers
    ]


def parse_rates(text: str, max_rates: int = 8, max_rate: int = 4096) -> tuple[int, ...]:
    """Comma- or space-separated positive integers (``"6, 12, 18"``); an empty text gives ``()``.

    >>> parse_rates("6, 12 18")
    (6, 12, 18)
    """
    if not isinstance(text, str):
        raise ValueError(f"rates must be text like '6, 12, 18', got {text!r}")
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) > max_rates:
        raise ValueError(f"rates: at most {max_rates} values, got {len(parts)}")
    rates = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(
                f"rates must be whole numbers from 1 to {max_rate} separated by commas, got {part!r}"
            )
        rate = int(part)
        if not 1 <= rate <= max_rate:
            raise ValueError(f"rates must be from 1 to {max_rate}, got {rate}")
        rates.append(rate)
    return tuple(rates)


# --- a stack as one short text (for links): ``c3d2,c3d2s2,p2s2`` -------------------------------------
# One token per layer: ``c`` (conv) or ``p`` (pool) and the kernel size, then optionally ``d<dilation>``,
# ``s<stride>`` and ``z<padding>`` (each at most once, any order; written in this order). Dilation and
# stride default to 1, padding to the "same" padding ``d*(k-1)//2``. An empty stack is ``none``.
EMPTY_STACK_CODE = "none"
MAX_STACK_CODE = 1200  # characters: 64 of the longest tokens (17 characters) and their commas fit
_TOKEN = re.compile(r"(c|p)([1-9][0-9]{0,5})((?:[dsz](?:0|[1-9][0-9]{0,5}))*)")
_FIELD = re.compile(r"([dsz])(0|[1-9][0-9]*)")
_FIELD_NAMES = {"d": "dilation", "s": "stride", "z": "padding"}


def _same_padding(layer: Layer) -> int:
    return layer.dilation * (layer.kernel_size - 1) // 2


def encode_stack(layers: Sequence[Layer]) -> str:
    """The stack as a short text, one token per layer (the inverse of ``decode_stack``).

    >>> encode_stack([Layer(3, 1, 2, 2), Layer(3, 2, 2, 2), Layer(2, 2, 1, 0, "pool"), Layer(2, 1, 4, 4)])
    'c3d2,c3d2s2,p2s2,c2d4z4'
    """
    if not layers:
        return EMPTY_STACK_CODE
    tokens = []
    for layer in layers:
        token = ("p" if layer.kind == "pool" else "c") + str(layer.kernel_size)
        if layer.dilation != 1:
            token += f"d{layer.dilation}"
        if layer.stride != 1:
            token += f"s{layer.stride}"
        if layer.padding != _same_padding(layer):
            token += f"z{layer.padding}"
        tokens.append(token)
    return ",".join(tokens)


def _decode_token(number: int, token: str) -> Layer:
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise ValueError(
            f"stack: layer {number} must look like c3, c3d2, c3d2s2, p2s2 or c2d4z4, got {token[:20]!r}"
        )
    kind, kernel, rest = match.groups()
    fields: dict[str, int] = {}
    for letter, digits in _FIELD.findall(rest):
        name = _FIELD_NAMES[letter]
        if name in fields:
            raise ValueError(f"stack: layer {number} gives the {name} twice")
        fields[name] = int(digits)
    try:
        k = _cell_int("kernel", int(kernel))
        d = _cell_int("dilation", fields.get("dilation", 1))
        s = _cell_int("stride", fields.get("stride", 1))
        p = _cell_int("padding", fields.get("padding", d * (k - 1) // 2))
    except ValueError as err:
        raise ValueError(f"stack: layer {number}: {err}") from None
    return Layer(k, s, d, p, "pool" if kind == "p" else "conv")


def decode_stack(text: str, max_layers: int = MAX_LAYERS) -> tuple[Layer, ...]:
    """Parse a text made by ``encode_stack``; strict: ``ValueError`` naming the first bad token.

    Every number must lie within ``CELL_LIMITS``, without leading zeros; at most ``max_layers``
    layers and ``MAX_STACK_CODE`` characters.

    >>> decode_stack("c3d2,p2s2")
    (Layer(kernel_size=3, stride=1, dilation=2, padding=2, kind='conv'), \
Layer(kernel_size=2, stride=2, dilation=1, padding=0, kind='pool'))
    """
    if not isinstance(text, str):
        raise ValueError(f"stack must be text like 'c3d2,c3d2s2,p2s2', got {type(text).__name__}")
    if len(text) > MAX_STACK_CODE:
        raise ValueError(f"stack: at most {MAX_STACK_CODE} characters, got {len(text)}")
    if text == EMPTY_STACK_CODE:
        return ()
    tokens = text.split(",")
    if len(tokens) > max_layers:
        raise ValueError(f"stack: at most {max_layers} layers, got {len(tokens)}")
    return tuple(_decode_token(number, token) for number, token in enumerate(tokens, start=1))


CSV_COLUMNS: tuple[str, ...] = (
    "layer",
    "kind",
    "kernel",
    "stride",
    "dilation",
    "padding",
    "extent",
    "effective_stride",
    "effective_padding",
)


def stack_csv(layers: Sequence[Layer]) -> str:
    """The layer table with the receptive field after each layer, as CSV text (header row first).

    ``extent``, ``effective_stride`` and ``effective_padding`` are ``receptive_field(layers)``: output
    ``i`` of layer ``l`` reads inputs ``i*effective_stride - effective_padding`` onwards, ``extent`` wide.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, (layer, rf) in enumerate(zip(layers, receptive_field(layers), strict=True), start=1):
        writer.writerow(
            (
                number,
                layer.kind,
                layer.kernel_size,
                layer.stride,
                layer.dilation,
                layer.padding,
                rf.size,
                rf.stride,
                rf.padding,
            )
        )
    return out.getvalue()
