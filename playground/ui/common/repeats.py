"""One upload, one computation: a view called again with the same inputs within seconds answers from memory,
and a call that arrives while the same call is still running waits for its answer. And one class, one
computation: a view called by any learner with public inputs (``public_fingerprint``: no upload, no trained
network) is answered from ``SHARED`` when another learner asked the same in the last ``SHARED_VIEW_SECONDS``.

Gradio's image component reports one upload as two changes with the same file, 30–70 ms apart (Chromium; Gradio
issue 4589). The second either waits for the first (``trigger_mode="always_last"``) or, with a quick page, runs
beside it; either way it would run the whole view again. The answer is the same (views are deterministic), so an
API caller sees no difference.

Why not ``gr.cache``: it is a cache (results kept until evicted, keys hashed from the inputs' contents), and what
is needed here is the opposite, forgetting after a few seconds. Figures are large and a class of thirty would fill
an LRU with them; a learner's trained weights would be hashed on every call, and a view that depends on them
must not answer from a result computed before they changed. Here a result lives a few seconds and weights
compare by identity.

The shared answers are the default views a class opens together (thirty pages opening the feature-map tab on
its default picture compute it once) and anything else asked with the same public inputs: every control's value,
the language and device, the app's own example pictures (by their bytes). A call with anything private — an
uploaded or drawn picture, a learner's trained weights, any input not a plain value — is never shared. The
networks' weights are the ones this process loaded once, so they need no place in the key. Shared answers are
bounded in bytes (``SHARED_VIEW_BYTES``, least recently used first) and in age (``SHARED_VIEW_SECONDS``, well
below ``FILE_SECONDS``, so the gallery files an answer names outlive it).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from playground.limits import SHARED_VIEW_BYTES, SHARED_VIEW_SECONDS
from playground.ui.common.files import EXAMPLES, hold_files

# A view called again by the same session with the same inputs within this many seconds gets the same answer again.
# Counted from the end of the first call, so it must cover the second call's wait in a busy queue (a class shares
# the "cnn" queue): at 2 s a loaded server computed the second change again.
REPEAT_WINDOW_SECONDS = 10.0
# Gradio shows an error's toast this long (gr.Error's duration): the same call failing again meanwhile (an upload's
# twin change, queued behind other work; or the learner trying the same thing at once) fails without a toast of
# its own, so the message is on screen once (a refused upload showed two toasts), and what follows a success does
# not run.
TWIN_SECONDS = 10.0


def _fingerprint(value: Any, *, public: bool = False) -> Any:
    """A comparable summary of a handler's inputs: plain values as they are, anything else by identity (a learner's
    trained weights are the same object until they train again); the session's private "_" keys are left out.

    ``public``: a file in Gradio's cache counts by its bytes when they are one of the app's own pictures, and
    anything private (another file, an object compared by identity) raises ``_Private`` (``public_fingerprint``)."""
    if public and isinstance(value, str) and _in_cache(value):
        return ("file", _example_digest(value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return tuple(sorted(((str(k), _fingerprint(v, public=public)) for k, v in value.items()
                             if not str(k).startswith("_"))))
    if isinstance(value, (list, tuple)):
        return tuple(_fingerprint(v, public=public) for v in value)
    if public:
        raise _Private
    return ("object", id(value))


def _fresh(result: Any) -> Any:
    """The result to hand out again: its dicts (gr.update) copied, in case Gradio's postprocessing changes them."""
    if isinstance(result, tuple):
        return tuple(dict(r) if isinstance(r, dict) else r for r in result)
    return dict(result) if isinstance(result, dict) else result


class RecentResults:
    """The successful results of the last ``window`` seconds, one per key (a session's view; for ``SHARED``, a view
    and its inputs), least recently used first, and the calls running now.

    ``max_bytes``: the results kept are bounded by their pickled size (a result that cannot be pickled is not
    kept). ``shared``: the keys are not one learner's, so a failure is never handed to another caller: a call
    that waited for a failed one computes itself, and shows its own message."""

    def __init__(self, window: float = REPEAT_WINDOW_SECONDS, twin: float = TWIN_SECONDS, *,
                 max_bytes: int | None = None, shared: bool = False) -> None:
        self.window, self.twin, self.max_bytes, self.shared = window, twin, max_bytes, shared
        self._results: OrderedDict[Any, tuple[Any, float, Any]] = OrderedDict()
        self._sizes: dict[Any, int] = {}
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
            failed_before = None if self.shared else self._failed.pop(key, None)
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
            if running[2] and not self.shared:
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
            if self.shared:
                raise
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

    def _recent(self, key: Any, inputs: Any) -> tuple[bool, Any]:
        recent = self._results.get(key)
        if recent is not None and recent[0] == inputs and time.monotonic() - recent[1] < self.window:
            if not _files_exist(recent[2]):
                return False, None  # a gallery file swept away (byte budgets, a closed page): compute again
            self._results.move_to_end(key)
            return True, recent[2]
        return False, None

    def _put(self, key: Any, inputs: Any, result: Any) -> None:
        size = 0
        if self.max_bytes is not None:
            try:
                size = len(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            except Exception:  # noqa: BLE001 - what cannot be measured is not kept
                return
            if size > self.max_bytes:
                return
        now = time.monotonic()
        with self._lock:
            self._results[key] = (inputs, now, result)
            self._sizes[key] = size
            self._results.move_to_end(key)
            total = sum(self._sizes.values())
            for old in list(self._results):
                if now - self._results[old][1] < self.window and total <= (self.max_bytes or total):
                    continue
                total -= self._sizes.pop(old)
                del self._results[old]  # too old, or least recently used over the byte budget

    def __len__(self) -> int:
        return len(self._results)

    @property
    def kept_bytes(self) -> int:
        with self._lock:
            return sum(self._sizes.values())


RECENT = RecentResults()
SHARED = RecentResults(SHARED_VIEW_SECONDS, max_bytes=SHARED_VIEW_BYTES, shared=True)


def _files_exist(result: Any) -> bool:
    """Every file an answer names (a gallery's pictures in Gradio's cache) is still there."""
    if isinstance(result, str):
        return not (os.path.isabs(result) and Path(result).suffix) or os.path.exists(result)
    if isinstance(result, (list, tuple)):
        return all(_files_exist(item) for item in result)
    if isinstance(result, Mapping):
        return all(_files_exist(item) for item in result.values())
    return True


# --- which inputs are public -----------------------------------------------------------------------------------

class _Private(Exception):
    pass


def public_fingerprint(values: Any) -> Any | None:
    """``_fingerprint(values)`` when every value is public — plain values, and files in Gradio's cache whose bytes
    are one of the app's own pictures (Gradio hands a view its copy, by path; only files of an example's size are
    read) — else None. A learner's upload or drawing, their trained weights, or any object compared by identity
    make a call private."""
    try:
        return _fingerprint(values, public=True)
    except (_Private, OSError):
        return None


def _in_cache(value: str) -> bool:
    """``value`` names a file in Gradio's cache (a path typed into a text box elsewhere is text, never read)."""
    cache = os.path.join(os.path.realpath(get_upload_folder()), "")
    return os.path.isabs(value) and os.path.realpath(value).startswith(cache) and os.path.isfile(value)


def _example_digest(path: str) -> str:
    """The sha256 of the file at ``path`` if its bytes are one of the app's example pictures; else ``_Private``."""
    stat = os.stat(path)
    digest = stat.st_size in _examples() and _digest_of_example(path, stat.st_size, stat.st_mtime)
    if not digest:
        raise _Private
    return digest


@functools.lru_cache(maxsize=1)
def _examples() -> dict[int, set[str]]:
    """The app's own pictures (examples and defaults): size → the sha256 of each file of that size."""
    files: dict[int, set[str]] = {}
    for path in EXAMPLES.iterdir():
        if path.is_file():
            files.setdefault(path.stat().st_size, set()).add(hashlib.sha256(path.read_bytes()).hexdigest())
    return files


@functools.lru_cache(maxsize=256)
def _digest_of_example(path: str, size: int, mtime: float) -> str | None:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return digest if digest in _examples().get(size, ()) else None


def reuse_repeats(fn: Callable[..., Any], recent: RecentResults = RECENT,
                  shared: RecentResults | None = SHARED) -> Callable[..., Any]:
    """``fn`` (a view) that answers a call with the result of the same session's previous call when the inputs are
    the same and that call succeeded less than ``recent.window`` seconds ago or is still running, instead of
    computing it again; and, when the inputs are public (``public_fingerprint``), with the result of any
    learner's same call in the last ``shared.window`` seconds. Failures are not kept: a learner who repeats a
    mistake sees its message again."""
    view = (fn.__module__, fn.__qualname__)

    @functools.wraps(fn)
    def reusing(*args: Any, **kwargs: Any):
        session = next((a for a in reversed(args) if isinstance(a, Mapping) and "lang" in a), None)
        if session is None:
            return fn(*args, **kwargs)
        asked = [a for a in args if not isinstance(a, (gr.Progress, gr.Request))]
        public = None if shared is None or kwargs else public_fingerprint(asked)

        def compute() -> Any:
            if public is None:
                return fn(*args, **kwargs)
            result = shared.answer((view, public), public, lambda: fn(*args, **kwargs))
            hold_files(result)  # computed for another learner, perhaps: this learner holds its files too
            return result

        return _fresh(recent.answer((id(session), view), _fingerprint(asked), compute))

    return reusing
