"""Markdown pieces shared by the tabs: the "matches PyTorch" badge, vectors, the learner's own text."""

from __future__ import annotations

import html
import re

from torch import Tensor

from playground.i18n import t
from playground.lessons.checks import TorchCheck
from playground.viz.theme import fmt


def check_badge(check: TorchCheck, *, lang: str = "en") -> str:
    key = "common.check_ok" if check.matches else "common.check_bad"
    return t(key, lang, op=check.op, delta=check.max_abs_diff)


def vector(values: Tensor, digits: int = 3) -> str:
    return "[" + ", ".join(fmt(float(v), digits) for v in values.flatten()) + "]"


# Every character Markdown (CommonMark + GitHub's autolinks) gives a meaning to. A backslash before any ASCII
# punctuation shows it as itself; ":" and "." break bare links (http://…, www.…).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")
# Gradio finds formulas ($$…$$) in the text of the page after Markdown is rendered, where no escape is left: a
# zero-width space after each dollar keeps two of them from ever being adjacent.
_NO_FORMULA = "$\u200b"


def literal(text: str) -> str:
    """Text from a learner, a file or a shared link, shown inside Markdown as itself: on one line, with no link,
    picture, heading, formula or HTML (``<img src=…>`` shows as those characters)."""
    one_line = " ".join(str(text).splitlines())
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line).replace("$", _NO_FORMULA)
    return html.escape(escaped, quote=False)
