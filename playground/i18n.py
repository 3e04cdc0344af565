"""English and Simplified Chinese for everything a learner reads.

Every label, explanation, figure title and error message is looked up by a key such as
``"act.temperature"``. Strings are ``str.format`` templates: ``{name}`` is a parameter, and literal braces
(LaTeX) are doubled, ``e^{{x}}``. The strings live in ``playground/locale/<topic>.py`` as ``key: (english, chinese)``
pairs, so a missing translation is visible in review and caught by ``tests/unit/test_i18n.py``.

    >>> t("common.lang", "zh")
    '语言'
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import playground.locale

LANGS = ("en", "zh")
DEFAULT_LANG = "en"


def _merge(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        for key, pair in table.items():
            if key in merged:
                raise KeyError(f"i18n key {key!r} is defined twice")
            merged[key] = pair
    return merged


# Every module of playground/locale holds one STRINGS table: a new topic's file is picked up with no edit here.
STRINGS: dict[str, tuple[str, str]] = _merge(*(
    importlib.import_module(f"playground.locale.{info.name}").STRINGS
    for info in sorted(pkgutil.iter_modules(playground.locale.__path__), key=lambda info: info.name)))


def normalize_lang(value: str | None) -> str:
    """Map a browser or user language tag ('zh-CN', 'zh-Hans', 'en-US', None) to 'en' or 'zh'."""
    return "zh" if value and value.strip().lower().startswith("zh") else DEFAULT_LANG


@dataclass(frozen=True)
class Text:
    """A translatable string used as a parameter of another one, e.g. the name in "{name} must be ...".

    It is resolved in the caller's language when the outer string is formatted.
    """

    key: str

    def __str__(self) -> str:
        return t(self.key)


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``."""
    english, chinese = STRINGS[key]
    template = chinese if normalize_lang(lang) == "zh" else english
    # Always formatted, so literal braces (LaTeX: e^{{x}}) are written doubled in every string.
    resolved = {name: t(v.key, lang) if isinstance(v, Text) else v for name, v in params.items()}
    return template.format(**resolved)


def has(key: str) -> bool:
    return key in STRINGS
