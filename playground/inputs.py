"""Reading what a learner types: numbers and matrices (forgiving about separators, strict about values) and the
whole numbers and ranges of every control, checked the same way in every lesson and data module.

Accepted: ``3, 1, -3`` · ``[3 1 -3]`` · ``3，1，−3`` (Chinese comma, Unicode minus) · ``1e308``. A number is read
as Python reads one, on purpose: the full-width digits a Chinese keyboard types (``１２``), any script's decimal
digits (Arabic-Indic ``١٢``) and ``_`` between digits (``1_000``) are the numbers they look like.
Matrices put rows on lines or between ``;``; channels are blocks separated by an empty line::

    1 2 3        ← channel 1, row 1
    4 5 6
                 ← empty line: next channel
    0 1 0
    1 0 1
"""

from __future__ import annotations

import math
import re

import torch

from playground.errors import InputError
from playground.i18n import Text
from playground.limits import MAX_NUMBER_TEXT_CHARS

_SEPARATORS = re.compile(r"[,\s，、]+")
_BRACKETS = str.maketrans("", "", "[](){}【】（）")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "﹣": "-", "－": "-"})


def _clean(text: str | None) -> str:
    text = "" if text is None else str(text)
    if len(text) > MAX_NUMBER_TEXT_CHARS:
        raise InputError("common.err.text_too_long", count=len(text), limit=MAX_NUMBER_TEXT_CHARS)
    return text.translate(_BRACKETS).translate(_MINUS)


def shown_token(token: str) -> str:
    """The token as it can be quoted back in a message: short, control characters made visible."""
    return "".join(ch if ch.isprintable() else "�" for ch in token[:20])


def _to_float(token: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise InputError("common.err.not_a_number", token=shown_token(token)) from None
    if not math.isfinite(value):
        raise InputError("common.err.not_finite", token=shown_token(token))
    return value


def _row(text: str) -> list[float]:
    return [_to_float(tok) for tok in _SEPARATORS.split(text.strip()) if tok]


def parse_numbers(text: str | None, *, limit: int) -> torch.Tensor:
    """``"3, 1, -3"`` → ``tensor([3., 1., -3.], dtype=float64)``; at least one, at most ``limit`` values."""
    values = _row(_clean(text).replace(";", " "))
    if not values:
        raise InputError("common.err.empty_numbers")
    if len(values) > limit:
        raise InputError("common.err.too_many_numbers", count=len(values), limit=limit)
    return torch.tensor(values, dtype=torch.float64)


def parse_matrix(text: str | None, *, max_side: int, name: Text) -> torch.Tensor:
    """Rows on lines or separated by ``;`` → a float64 tensor of shape (rows, cols)."""
    rows = [_row(line) for line in re.split(r"[;\n]", _clean(text))]
    rows = [r for r in rows if r]
    if not rows:
        raise InputError("common.err.missing_value", name=name)
    for index, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise InputError("common.err.ragged", name=name, row=index, got=len(row), want=len(rows[0]))
    if len(rows) > max_side or len(rows[0]) > max_side:
        raise InputError("common.err.matrix_too_big", name=name, rows=len(rows), cols=len(rows[0]),
                         limit=max_side)
    return torch.tensor(rows, dtype=torch.float64)


def parse_channels(text: str | None, *, channels: int | None, max_side: int, name: Text) -> torch.Tensor:
    """Blocks separated by an empty line → (channels, rows, cols); ``channels=None`` accepts any count."""
    cleaned = _clean(text).replace("\r\n", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", cleaned) if b.strip()]
    if not blocks:
        raise InputError("common.err.missing_value", name=name)
    if channels is not None and len(blocks) != channels:
        raise InputError("common.err.channel_count", name=name, got=len(blocks), want=channels)
    mats = [parse_matrix(b, max_side=max_side, name=name) for b in blocks]
    for index, m in enumerate(mats[1:], start=2):
        if m.shape != mats[0].shape:
            raise InputError("common.err.channel_shape", name=name, index=index,
                             first="×".join(map(str, mats[0].shape)), other="×".join(map(str, m.shape)))
    return torch.stack(mats)


# --- single values from controls (sliders, number boxes, API arguments) -------------------------------


def as_number(value: object, name: str) -> float:
    """A control's value as a finite float; ``name`` is the i18n key of the control, for the message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError("common.err.missing_value", name=Text(name))
    if isinstance(value, bool):
        raise InputError("common.err.not_a_number", token=str(value))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError("common.err.not_a_number", token=shown_token(str(value))) from None
    if not math.isfinite(number):
        raise InputError("common.err.not_finite", token=shown_token(str(value)))
    return number


def in_range(value: object, low: float, high: float, name: str) -> float:
    """``as_number`` within [low, high]."""
    number = as_number(value, name)
    if not low <= number <= high:
        raise InputError("common.err.out_of_range", name=Text(name), low=low, high=high, value=number)
    return number


def as_whole(value: object, low: int, high: int, name: str) -> int:
    """A whole number within [low, high]; 3.0 from a number box is fine, 2.5 is not."""
    number = as_number(value, name)
    if number != int(number):
        raise InputError("common.err.not_whole", name=Text(name), value=number)
    if not low <= number <= high:
        raise InputError("common.err.out_of_range", name=Text(name), low=low, high=high, value=int(number))
    return int(number)
