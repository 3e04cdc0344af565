"""The one error type for mistakes a learner can fix (bad numbers, a kernel larger than its input...).

Lessons raise ``InputError("act.err.range_order", low=3, high=1)``; the message is a sentence that says
what to change, in English by default (notebooks) and in the session's language in the app, where
``playground.ui.common.errors.ui_errors`` turns it into a ``gr.Error``.
"""

from __future__ import annotations

from playground.i18n import t


class InputError(ValueError):
    """A learner's input that cannot be used as given; carries an i18n key and its parameters."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)
