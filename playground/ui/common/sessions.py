"""Who is asking: the per-session state (language, device) and each learner's background run.

The session is a plain dict kept in a ``gr.State`` (so Gradio can copy it); ``session_key`` names the browser
session a request comes from, and ``SessionRuns`` keeps the one background run (training, transfer race, MLP
Play) each learner may have, so that Stop, another Start and a closed page reach that learner's run only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import gradio as gr

from playground.i18n import DEFAULT_LANG, normalize_lang
from playground.runtime import default_device


def new_session() -> dict[str, str]:
    """The per-session state: the learner's language and device (a plain dict, so gr.State can copy it)."""
    return {"lang": DEFAULT_LANG, "device": default_device()}


def session_lang(session: Mapping[str, str] | None) -> str:
    return normalize_lang((session or {}).get("lang"))


def session_device(session: Mapping[str, str] | None) -> str:
    return (session or {}).get("device") or default_device()


def session_key(request: gr.Request | None) -> str:
    """Which learner a request comes from: the browser session, or "api" for a call without one."""
    return getattr(request, "session_hash", None) or "api"


class Stoppable(Protocol):
    def stop(self) -> None: ...


class SessionRuns:
    """The background run of each learner (anything with ``stop()``: ``lessons.background.BackgroundRun``, an
    MLP Play), so that Stop and a closed page reach that learner's run only. One per learner: starting another
    stops the first."""

    def __init__(self) -> None:
        self._runs: dict[str, Stoppable] = {}
        self._lock = threading.Lock()

    def start(self, request: gr.Request | None, start: Callable[[], Any]) -> Any:
        key = session_key(request)
        with self._lock:
            if key in self._runs:
                self._runs[key].stop()
            run = self._runs[key] = start()
        return run

    def finished(self, request: gr.Request | None, run: Stoppable) -> None:
        """``run`` is over (or its stream was cancelled): stop it and forget it, unless a newer one replaced it."""
        run.stop()  # normally a no-op; if the event was cancelled, the thread ends at the next mini-batch
        with self._lock:
            if self._runs.get(session_key(request)) is run:
                del self._runs[session_key(request)]

    def current(self, request: gr.Request | None) -> Any | None:
        with self._lock:
            return self._runs.get(session_key(request))

    def stop(self, request: gr.Request | None) -> None:
        run = self.current(request)
        if run is not None:
            run.stop()

    def __len__(self) -> int:
        """How many learners have a run now."""
        with self._lock:
            return len(self._runs)
