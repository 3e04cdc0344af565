"""One upload, one computation: a view called again with the same inputs within seconds answers from memory,
and a call that arrives while the same call is still running waits for its answer.

Gradio's image component reports one upload as two changes with the same file, 30–70 ms apart (Chromium; Gradio
issue 4589). The second either waits for the first (``trigger_mode="always_last"``) or, with a quick page, runs
beside it; either way it would run the whole view again. The answer is the same (views are deterministic), so an
API caller sees no difference.

Why not ``gr.cache``: it is a cache (results kept until evicted, keys hashed from the inputs' contents), and what
is needed here is the opposite, forgetting after a few seconds. Figures are large and a class of thirty would fill
an LRU with them; a learner's trained weights would be hashed on every call, and a view that depends on them
must not answer from a result computed before they changed. Here a result lives a few seconds and weights
compare by identity.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import gradio as gr

# A view called again by the same session with the same inputs within this many seconds gets the same answer again.
# Counted from the end of the first call, so it must cover the second call's wait in a busy queue (a class shares
# the "cnn" queue): at 2 s a loaded server computed the second change again.
REPEAT_WINDOW_SECONDS = 10.0
# Gradio shows an error's toast this long (gr.Error's duration): the same call failing again meanwhile (an upload's
# twin change, queued behind other work; or the learner trying the same thing at once) fails without a toast of
# its own, so the message is on screen once (a refused upload showed two toasts), and what follows a success does
# not run.
TWIN_SECONDS = 10.0


def _fingerprint(value: Any) -> Any:
    """A comparable summary of a handler's inputs: plain values as they are, anything else by identity (a learner's
    trained weights are the same object until they train again); the session's private "_" keys are left out."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return tuple(sorted(((str(k), _fingerprint(v)) for k, v in value.items() if not str(k).startswith("_"))))
    if isinstance(value, (list, tuple)):
        return tuple(_fingerprint(v) for v in value)
    return ("object", id(value))


def _fresh(result: Any) -> Any:
    """The result to hand out again: its dicts (gr.update) copied, in case Gradio's postprocessing changes them."""
    if isinstance(result, tuple):
        return tuple(dict(r) if isinstance(r, dict) else r for r in result)
    return dict(result) if isinstance(result, dict) else result


class RecentResults:
    """The successful results of the last ``window`` seconds, one per (session, view), oldest first, and the
    calls running now."""

    def __init__(self, window: float = REPEAT_WINDOW_SECONDS, twin: float = TWIN_SECONDS) -> None:
        self.window, self.twin = window, twin
        self._results: OrderedDict[tuple[int, str], tuple[Any, float, Any]] = OrderedDict()
        # (inputs, when, message) of recent failures: the message only, since an exception keeps its traceback's
        # frames, and with them the pictures and tensors of the failed call
        self._failed: dict[tuple[int, str], tuple[Any, float, str]] = {}
        self._running: dict[tuple[int, str], tuple[Any, threading.Event, list[str]]] = {}  # inputs, done, failure
        self._lock = threading.Lock()

    def answer(self, key: tuple[int, str], inputs: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, unless the same call (key and inputs) succeeded less than ``window`` seconds ago or is
        running now: then that call's result. If the running call fails, or failed less than ``twin`` seconds ago,
        the call fails the same way without a toast of its own (``gr.Error(visible=False)``; an API caller still
        reads the message)."""
        with self._lock:
            found, result = self._recent(key, inputs)
            if found:
                return result
            failed_before = self._failed.pop(key, None)
            if failed_before and failed_before[0] == inputs and time.monotonic() - failed_before[1] < self.twin:
                raise gr.Error(failed_before[2], visible=False, print_exception=False)
            running = self._running.get(key)
            if running is None or running[0] != inputs:
                done, failed = threading.Event(), []
                self._running[key] = (inputs, done, failed)
                running = None
        if running is not None:
            running[1].wait()
            with self._lock:
                found, result = self._recent(key, inputs)
            if found:
                return result
            if running[2]:
                raise gr.Error(running[2][0], visible=False, print_exception=False)
            return compute()
        try:
            result = compute()
            self._put(key, inputs, result)
            return result
        except BaseException as error:
            message = error.message if isinstance(error, gr.Error) else str(error)
            failed.append(message)
            now = time.monotonic()
            with self._lock:
                self._failed[key] = (inputs, now, message)
                for old in [k for k, (_, when, _) in self._failed.items() if now - when >= self.twin]:
                    del self._failed[old]  # nothing older than the window is kept
            raise
        finally:
            with self._lock:
                if self._running.get(key, (None, None))[1] is done:
                    del self._running[key]
            done.set()

    def _recent(self, key: tuple[int, str], inputs: Any) -> tuple[bool, Any]:
        recent = self._results.get(key)
        if recent is not None and recent[0] == inputs and time.monotonic() - recent[1] < self.window:
            return True, recent[2]
        return False, None

    def _put(self, key: tuple[int, str], inputs: Any, result: Any) -> None:
        now = time.monotonic()
        with self._lock:
            self._results[key] = (inputs, now, result)
            self._results.move_to_end(key)
            while self._results and now - next(iter(self._results.values()))[1] >= self.window:
                self._results.popitem(last=False)  # oldest first: nothing older than the window is kept

    def __len__(self) -> int:
        return len(self._results)


RECENT = RecentResults()


def reuse_repeats(fn: Callable[..., Any], recent: RecentResults = RECENT) -> Callable[..., Any]:
    """``fn`` (a view) that answers a call with the result of the same session's previous call when the inputs are
    the same and that call succeeded less than ``recent.window`` seconds ago or is still running, instead of
    computing it again. Failures are not kept: a learner who repeats a mistake sees its message again."""

    @functools.wraps(fn)
    def reusing(*args: Any, **kwargs: Any):
        session = next((a for a in reversed(args) if isinstance(a, Mapping) and "lang" in a), None)
        if session is None:
            return fn(*args, **kwargs)
        key = (id(session), fn.__qualname__)
        inputs = _fingerprint([a for a in args if not isinstance(a, (gr.Progress, gr.Request))])
        return _fresh(recent.answer(key, inputs, lambda: fn(*args, **kwargs)))

    return reusing
