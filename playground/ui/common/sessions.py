"""Who is asking: the per-session state (language, device), each learner's background run, and forgetting the
sessions of closed pages.

The session is a plain dict kept in a ``gr.State`` (so Gradio can copy it); ``session_key`` names the browser
session a request comes from, and ``SessionRuns`` keeps the one background run (training, transfer race, MLP
Play) each learner may have, so that Stop, another Start and a closed page reach that learner's run only.
``forget_closed_sessions`` gives a closed page's server memory back (``ClosedSessions``), and ``LeanStateHolder``
keeps an open page's small (``keep_sessions_lean``).
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from copy import copy
from typing import Any, Protocol

import gradio as gr
from gradio.state_holder import SessionState, StateHolder

from playground import limits
from playground.i18n import DEFAULT_LANG, normalize_lang
from playground.runtime import default_device
from playground.ui.common.files import release_session_files


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


class ClosedSessions:
    """Forgets the Gradio session of a page that closed ``limits.CLOSED_SESSION_SECONDS`` ago.

    Gradio keeps, per browser session, a configuration of every component (~2 MB for this app's ~520) and the
    last value of every output it sent (the figures of every tab the learner opened); when a page closes it
    only marks the session closed, drops its ``gr.State`` values after an hour, and keeps the rest until
    ``MAX_KEPT_SESSIONS`` newer sessions push it out. A class of thirty, coming back every day, would hold
    gigabytes. A page whose connection dropped (a phone put away) and that asks for something within the grace
    period keeps its session; one that asks later starts again from the defaults, as after a server restart.

    ``sweep`` is called every few seconds by a daemon thread started with the first closed page."""

    SWEEP_SECONDS = 5.0

    def __init__(self, demo: gr.Blocks) -> None:
        self._demo = demo
        self._seen_closed: dict[str, datetime.datetime] = {}  # session → when a sweep first saw it closed
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def page_closed(self) -> None:
        """``demo.unload`` handler: make sure the sweeping thread runs."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._sweep_forever, name="forget-closed-sessions",
                                                daemon=True)
                self._thread.start()

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(self.SWEEP_SECONDS)
            self.sweep()

    def sweep(self, now: datetime.datetime | None = None) -> list[str]:
        """Forget the sessions closed for ``CLOSED_SESSION_SECONDS`` and not used since; returns them."""
        holder = getattr(self._demo, "state_holder", None)
        if holder is None:  # not launched
            return []
        now = now or datetime.datetime.now()
        grace = datetime.timedelta(seconds=limits.CLOSED_SESSION_SECONDS)
        forgotten = []
        with holder.lock:
            sessions = list(holder.session_data.items())
        for session_hash, state in sessions:
            if not state.is_closed:
                self._seen_closed.pop(session_hash, None)
                continue
            seen = self._seen_closed.setdefault(session_hash, now)
            last_used = holder.time_last_used.get(session_hash)
            if last_used is not None and last_used > seen:  # it asked for something since: reconnected
                self._seen_closed[session_hash] = now
                continue
            if now - seen >= grace:
                holder.delete_state(session_hash)  # its gr.State values, through their delete callbacks
                release_session_files(session_hash)
                with holder.lock:
                    holder.session_data.pop(session_hash, None)
                    holder.time_last_used.pop(session_hash, None)
                del self._seen_closed[session_hash]
                forgotten.append(session_hash)
        for session_hash in set(self._seen_closed) - {h for h, _ in sessions}:
            del self._seen_closed[session_hash]  # pushed out by Gradio meanwhile
        return forgotten


def forget_closed_sessions(demo: gr.Blocks) -> ClosedSessions:
    """Wire ``ClosedSessions`` to ``demo`` (inside its ``with`` block)."""
    closed = ClosedSessions(demo)
    demo.unload(closed.page_closed)
    return closed


# --- an open page's session: what Gradio needs to answer it, nothing for a deep link ---------------------------

class LeanSessionState(SessionState):
    """Gradio's per-session store without the copies it keeps only for deep links.

    Gradio 6.31's ``SessionState`` computes, when a page opens, the configuration of every component of the app
    (877 kB for this app's ~520, by tracemalloc) and then stores in it the last value of every input and output the page
    sent or received (every figure of every tab the learner opened), all so that ``gr.DeepLinkButton`` can
    rebuild the page elsewhere. This app has no deep-link button (``check_no_deep_links``). Here a session keeps
    what answering needs: its ``gr.State`` values and the components an update changed (``blocks_config``);
    ``components`` (the deep-link route) computes the configurations when asked, with the components' built
    values."""

    def __init__(self, blocks: gr.Blocks) -> None:  # SessionState.__init__ without config_values
        self.blocks_config = copy(blocks.default_config)
        self._app_blocks = blocks.blocks
        self.state_data: dict[int, Any] = {}
        self._state_ttl: dict[int, tuple[float, datetime.datetime]] = {}
        self.is_closed = False
        self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600

    @property
    def config_values(self) -> dict[int, Any]:
        return {}  # written to by nobody: the methods that did are replaced below

    def __setitem__(self, key: int, value: Any) -> None:
        block = self.blocks_config.blocks.get(key)
        if isinstance(block, gr.State):
            self._state_ttl[key] = (block.time_to_live, datetime.datetime.now())
            self.state_data[key] = value
        else:
            self.blocks_config.blocks[key] = value

    def _update_config(self, key: int) -> None:
        pass

    def _update_value_in_config(self, key: int, value: Any) -> None:
        pass

    @property
    def components(self) -> Iterator[dict]:
        for key, block in self.blocks_config.blocks.items():
            if key in self._app_blocks:
                config = self.blocks_config.config_for_block(key, [], block)
                if config:
                    yield config


class LeanStateHolder(StateHolder):
    """Gradio's session registry, making ``LeanSessionState`` sessions."""

    def __getitem__(self, session_id: str) -> SessionState:
        if session_id not in self.session_data:
            self.session_data[session_id] = LeanSessionState(self.blocks)
        return super().__getitem__(session_id)


def check_no_deep_links(demo: gr.Blocks) -> None:
    """``LeanSessionState`` keeps no values for a deep link: an app that offers one must not use it."""
    if any(isinstance(block, gr.DeepLinkButton) for block in demo.blocks.values()):
        raise ValueError("This app has a gr.DeepLinkButton: its sessions must keep Gradio's full configuration.")


def keep_sessions_lean(app: Any) -> None:
    """Give the launched server ``app`` (Gradio's ``App``) a ``LeanStateHolder`` before it opens any session (in the
    server's lifespan). Measured: bench/RESULTS.md, "Page load and sessions"."""
    demo = app.get_blocks()
    check_no_deep_links(demo)
    old = app.state_holder
    holder = LeanStateHolder()
    holder.set_blocks(demo)  # also demo.state_holder = holder
    with old.lock:
        holder.session_data.update(old.session_data)  # none, at start
        holder.time_last_used.update(old.time_last_used)
    app.state_holder = holder
