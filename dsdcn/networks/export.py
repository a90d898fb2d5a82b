"""The analysed table as plain rows, CSV, Markdown and LaTeX (column names are codes, not display words)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .table import Analysis, Row

COLUMNS: tuple[str, ...] = (
    "layer",
    "kind",
    "kernel",
    "stride",
    "dilation",
    "groups",
    "c_in",
    "c_out",
    "out_size",
    "rf",
    "jump",
    "padding",
    "holes",
    "params",
    "macs",
    "flops",
    "memory_bytes",
    "misaligned",
)
MERGE_KINDS = ("add", "concat")


def row_values(row: Row) -> dict[str, object]:
    """One row as plain values keyed by ``COLUMNS`` (kernel, stride... empty for merges)."""
    la = row.layer
    shaped = la.kind not in MERGE_KINDS
    whole = la.kind in ("gap", "fc")
    return {
        "layer": la.name,
        "kind": la.kind,
        "kernel": la.kernel if shaped and not whole else "",
        "stride": la.stride if shaped and not whole else "",
        "dilation": la.dilation if shaped and not whole else "",
        "groups": la.groups if la.kind == "conv" else "",
        "c_in": row.c_in,
        "c_out": row.c_out,
        "out_size": "x".join(str(n) for n in row.out_size),
        "rf": row.rf,
        "jump": row.jump,
        "padding": row.padding,
        "holes": row.holes if row.holes >= 0 else "",
        "params": row.params,
        "macs": row.macs,
        "flops": row.flops,
        "memory_bytes": row.memory,
        "misaligned": "yes" if row.misaligned else "",
    }


def table_records(analysis: Analysis) -> list[dict[str, object]]:
    """Every row as ``row_values``."""
    return [row_values(r) for r in analysis.rows]


def _totals(analysis: Analysis) -> dict[str, object]:
    t = analysis.totals
    out: dict[str, object] = dict.fromkeys(COLUMNS, "")
    out.update(layer="total", params=t.params, macs=t.macs, flops=t.flops, memory_bytes=t.memory)
    return out


def to_csv(analysis: Analysis) -> str:
    """CSV with a header of ``COLUMNS`` and a last ``total`` row."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for rec in [*table_records(analysis), _totals(analysis)]:
        writer.writerow(rec)
    return buf.getvalue()


def _cells(rec: dict[str, object], columns: Sequence[str]) -> list[str]:
    return [
        f"{v:,}" if isinstance(v, int) and k not in ("kernel", "stride", "dilation", "groups") else str(v)
        for k, v in ((c, rec[c]) for c in columns)
    ]


def to_markdown(analysis: Analysis) -> str:
    """A GitHub Markdown table (numbers with thousands separators), totals last; FLOPs = 2 × MACs."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for rec in [*table_records(analysis), _totals(analysis)]:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(rec, COLUMNS)) + " |")
    return "\n".join(lines) + "\n"


_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "×": r"$\times$",
}


def _tex(text: str) -> str:
    return "".join(_TEX_ESCAPES.get(ch, ch) for ch in text)


def to_latex(analysis: Analysis) -> str:
    """A ``tabular`` (booktabs rules) of the table, totals last; special characters escaped."""
    spec = "l" + "l" + "r" * (len(COLUMNS) - 2)
    lines = [
        f"% {_tex(analysis.network.name)}: FLOPs = 2 x MACs; memory = outputs at float32",
        r"\begin{tabular}{" + spec + "}",
        r"\toprule",
        " & ".join(_tex(c) for c in COLUMNS) + r" \\",
        r"\midrule",
    ]
    records = table_records(analysis)
    for rec in records:
        lines.append(" & ".join(_tex(c).replace(",", "{,}") for c in _cells(rec, COLUMNS)) + r" \\")
    lines += [
        r"\midrule",
        " & ".join(_tex(c).replace(",", "{,}") for c in _cells(_totals(analysis), COLUMNS)) + r" \\",
        r"\bottomrule",
        r"\end{tabular}",
        "",
    ]
    return "\n".join(lines)
