"""Every string exists in English and Chinese, with the same placeholders, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

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


def test_every_entry_is_an_english_chinese_pair():
    malformed = sorted(key for key, value in STRINGS.items()
                       if not (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)))
    assert not malformed, f"not an (English, Chinese) pair of strings: {malformed}"


def test_every_string_has_both_languages():
    missing = sorted(key for key, (english, chinese) in STRINGS.items() if not (english.strip() and chinese.strip()))
    assert not missing, f"empty in English or Chinese: {missing}"


def test_both_languages_have_the_same_placeholders():
    differ = {key: (sorted(_fields(english)), sorted(_fields(chinese))) for key, (english, chinese) in STRINGS.items()
              if _fields(english) != _fields(chinese)}
    assert not differ, f"placeholders differ (English, Chinese): {differ}"


def test_every_string_is_translated():
    untranslated = sorted(key for key, (english, chinese) in STRINGS.items()
                          if key not in SAME_IN_BOTH and not CJK.search(chinese) and chinese == english)
    assert not untranslated, f"the Chinese text is the English one: {untranslated}"


def test_every_key_literal_in_the_code_exists():
    prefixes = "app|common|act|conv|zoo|train|img|feat|attr|cmp|net|rnn|seg|mlp|xfer|attn|vit"
    pattern = re.compile(rf"""["']((?:{prefixes})\.[a-z0-9_.]+)["']""")
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
