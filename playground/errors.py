"""The one error type for mistakes a learner can fix (bad numbers, a kernel larger than its input...).

Lessons raise ``InputError("act.err.range_order", low=3, high=1)``; the message is a sentence that says
what to change, in English by default (notebooks) and in the session's language in the app, where
``playground.ui.common.errors.ui_errors`` turns it into a ``gr.Error``.
"""

from __future__ import annotations

from collections.abc import Callable

from playground.i18n import t


class InputError(ValueError):
    """A learner's input that cannot be used as given; carries an i18n key and its parameters."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str, *, quote: Callable[[str], str] | None = None) -> str:
        """The sentence in ``lang``; ``quote`` makes each text parameter safe where it is shown (a name from a
        link or a file may hold HTML or Markdown): ``html.escape`` for a toast, ``viz.text.literal`` in Markdown."""
        if quote is None:
            return t(self.key, lang, **self.params)
        return t(self.key, lang, **{k: quote(v) if isinstance(v, str) else v for k, v in self.params.items()})
