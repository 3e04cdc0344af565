"""Errors at the edge of the app: what a learner sees when a handler fails.

An :class:`~playground.errors.InputError` (a mistake the learner can fix) becomes a ``gr.Error`` in the
learner's language; any other failure becomes one short sentence, and its traceback goes to the server log
only. Every handler the app registers goes through ``ui_errors``.
"""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

import gradio as gr

from playground.errors import InputError
from playground.i18n import DEFAULT_LANG, t
from playground.runtime import on_gpu
from playground.ui.common.sessions import session_lang

log = logging.getLogger("playground")


def _lang_of_call(args: tuple[Any, ...]) -> str:
    """Handlers take the session dict as an argument (the last one but for gr.Progress/gr.Request)."""
    for arg in reversed(args):
        if isinstance(arg, Mapping) and "lang" in arg:
            return session_lang(arg)
    return DEFAULT_LANG


def _as_html_text(text: str) -> str:
    return html.escape(text, quote=False)  # a toast shows HTML; quotes are plain text there


def _as_gr_error(err: Exception, lang: str) -> gr.Error:
    title = t("common.error_title", lang)
    if isinstance(err, InputError):
        # a toast shows HTML: a name the learner typed or a link carried is shown as its characters
        return gr.Error(err.message(lang, quote=_as_html_text), title=title, print_exception=False)
    log.exception("handler failed")
    return gr.Error(t("common.err.internal", lang), title=title, print_exception=False)


def ui_errors(fn: Callable[..., Any], *, gpu: bool = False) -> Callable[..., Any]:
    """Wrap an event handler so that no traceback ever reaches the learner (generators included).

    ``gpu=True`` marks a handler that runs a network: on a ZeroGPU Space it runs under ``spaces.GPU``
    (``playground.runtime.on_gpu``). Its errors are turned into messages inside the lent GPU's process too, so
    what crosses back is a ``gr.Error``, never an exception of ours that would have to survive pickling.
    """
    if gpu:
        fn = on_gpu(ui_errors(fn))
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator_wrapper(*args: Any, **kwargs: Any):
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:  # noqa: BLE001 - the edge of the app: every failure becomes a message
                raise _as_gr_error(err, _lang_of_call(args)) from None

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as err:  # noqa: BLE001
            raise _as_gr_error(err, _lang_of_call(args)) from None

    return wrapper
