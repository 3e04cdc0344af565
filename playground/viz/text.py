"""Markdown pieces shared by the tabs: the "matches PyTorch" badge, small matrices and vectors."""

from __future__ import annotations

from torch import Tensor

from playground.i18n import t
from playground.lessons.checks import TorchCheck
from playground.viz.theme import fmt


def check_badge(check: TorchCheck, *, lang: str = "en") -> str:
    key = "common.check_ok" if check.matches else "common.check_bad"
    return t(key, lang, op=check.op, delta=check.max_abs_diff)


def vector(values: Tensor, digits: int = 3) -> str:
    return "[" + ", ".join(fmt(float(v), digits) for v in values.flatten()) + "]"


def matrix_table(values: Tensor, *, digits: int = 3, row_names: list[str] | None = None,
                 col_names: list[str] | None = None) -> str:
    """A 2-D tensor as a Markdown table (row and column names optional)."""
    values = values.reshape(values.shape[0], -1) if values.dim() != 2 else values
    rows, cols = values.shape
    col_names = col_names or [str(j + 1) for j in range(cols)]
    row_names = row_names or [str(i + 1) for i in range(rows)]
    lines = ["| | " + " | ".join(col_names) + " |", "|---" * (cols + 1) + "|"]
    for name, row in zip(row_names, values):
        lines.append(f"| **{name}** | " + " | ".join(fmt(float(v), digits) for v in row) + " |")
    return "\n".join(lines)
