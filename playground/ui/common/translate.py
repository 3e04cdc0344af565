"""The header's language switch: every registered component relabelled at once.

Gradio's own ``gr.I18n`` translates static front-end text only; here figures, Markdown and messages come from
handlers in the session's language, and the header's radio must switch them all, so labels are kept by i18n key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from playground.i18n import DEFAULT_LANG, has, t

# Which property of a component carries its text, when it is not ``label``.
_VALUE_TEXT = (gr.Button, gr.Markdown, gr.HTML, gr.DownloadButton)


@dataclass
class Translator:
    """Registers components with i18n keys; ``updates(lang)`` relabels all of them.

    ``ctx.tr(gr.Slider(0, 1, 0.1), "act.negative_slope")`` sets the English label now (and the info
    text, when ``"act.negative_slope.info"`` exists) and remembers the component for the language switch.
    ``choices`` maps each choice's value to the key of its display name; ``headers`` gives the column
    keys of a ``gr.Examples`` table (register ``examples.dataset``).
    """

    _items: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, component: Any, key: str, *, choices: Mapping[Any, str] | None = None,
                 headers: list[str] | None = None) -> Any:
        texts: dict[str, Any] = {}
        if isinstance(component, _VALUE_TEXT):
            texts["value"] = key
        else:
            texts["label"] = key
            for prop in ("info", "placeholder"):
                if has(f"{key}.{prop}"):
                    texts[prop] = f"{key}.{prop}"
        if choices is not None:
            texts["choices"] = dict(choices)
        if headers is not None:  # a gr.Examples table (its .dataset): column titles
            texts["headers"] = list(headers)
        for prop, value in self._resolve(texts, DEFAULT_LANG).items():
            if prop == "choices":
                component.choices = value
            else:
                setattr(component, prop, value)
        self._items.append((component, texts))
        return component

    @staticmethod
    def _resolve(texts: Mapping[str, Any], lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for prop, key in texts.items():
            if prop == "choices":
                out[prop] = [(t(k, lang) if k else str(value), value) for value, k in key.items()]
            elif prop == "headers":
                out[prop] = [t(k, lang) for k in key]
            else:
                out[prop] = t(key, lang)
        return out

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._items]

    def updates(self, lang: str) -> list[Any]:
        return [gr.update(**self._resolve(texts, lang)) for _, texts in self._items]
