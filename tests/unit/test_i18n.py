"""Every string exists in English and Chinese, with the same placeholders, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from playground.errors import InputError
from playground.i18n import STRINGS, Text, normalize_lang, t

ROOT = Path(__file__).resolve().parents[2] / "playground"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Strings that are the same in both languages on purpose (names, formulas).
SAME_IN_BOTH = {"act.sub.softmax", "act.fig.softmax_bar", "act.numbers.placeholder", "act.beta.info",
                "act.z1", "act.z2", "act.z3", "conv.way_c",
                "train.mistake", "feat.col.index", "cmp.row.cam", "rnn.default_text"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_present_with_same_placeholders(key):
    english, chinese = STRINGS[key]
    assert english.strip() and chinese.strip(), key
    assert _fields(english) == _fields(chinese), key
    if key not in SAME_IN_BOTH:
        assert CJK.search(chinese) or chinese != english, f"{key} is not translated"


def test_every_key_literal_in_the_code_exists():
    pattern = re.compile(r"""["']((?:app|common|act|conv|zoo|train|img|feat|attr|cmp|net|rnn|seg|mlp|xfer|attn|vit)\.[a-z0-9_.]+)["']""")
    missing = set()
    for path in ROOT.rglob("*.py"):
        if "locale" in path.parts:
            continue
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            if key not in STRINGS and not any(k.startswith(key + ".") for k in STRINGS):
                missing.add(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, sorted(missing)


def test_language_tags_are_normalised():
    assert [normalize_lang(x) for x in ("zh-CN", "zh", "zh-Hans", "ZH-tw", "en-US", "fr", None, "")] == \
        ["zh", "zh", "zh", "zh", "en", "en", "en", "en"]


def test_text_parameters_are_translated_in_the_outer_language():
    err = InputError("common.err.out_of_range", name=Text("act.temperature"), low=0.01, high=100, value=0)
    assert str(err).startswith("Temperature T must be between")
    assert err.message("zh").startswith("温度 T 必须在")
    assert t("common.lang", "zh-CN") == "语言"
