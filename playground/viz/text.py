"""Markdown pieces shared by the tabs: the "matches PyTorch" badge, vectors."""

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
