"""Files the app hands to the browser: downloads, drawings and gallery pictures, all inside Gradio's cache.

A file written anywhere else is copied into the cache by Gradio and the original is never deleted (a long-running
Space would fill its disk: the MLP tab writes a points CSV on every settings change). Written here, in the cache
itself, Gradio serves the file without a copy and the app's ``delete_cache`` removes it when it is old, and all of
them when the server stops. Files are named by the hash of their bytes, as Gradio names its own, so the same bytes
are written once.

Gradio only deletes the files it knows of, and only by age: one client calling ``/use_drawing`` in a loop wrote
441 MiB in 30 s, and the files of a server killed with ``kill -9`` stayed forever. ``CacheKeeper`` (started with the
server, ``managed_files``) keeps the whole folder — uploads included — within ``MAX_FILES_BYTES`` (oldest first) and
deletes anything older than ``FILE_SECONDS``, at start (what a killed server left) and every ``FILE_SWEEP_SECONDS``;
a burst of writes sweeps at once. ``python app.py`` keeps its files in a folder of its own, deleted when it stops
(``runtime.own_file_folder``).

The keeper also knows which learner (session) each file it wrote was handed to: one learner's files are bounded by
``MAX_SESSION_FILES_BYTES`` (their oldest go first, so one learner cannot push the others' files out of the total
budget), and leave with them when their page is closed (``release_session_files``). A file handed to several
learners (files are named by their bytes: the same view, or a view shared by the class) stays while one of them
holds it. A client that opens new sessions in a loop is bounded by the total budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from gradio.context import LocalContext
from gradio.utils import get_upload_folder
from PIL import Image

from playground.limits import FILE_SECONDS, FILE_SWEEP_SECONDS, MAX_FILES_BYTES, MAX_SESSION_FILES_BYTES

log = logging.getLogger("playground")

EXAMPLES = Path(__file__).resolve().parents[3] / "assets" / "examples"  # the app's own pictures


class CacheKeeper:
    """Keeps one folder within a byte budget and an age: the oldest files go first, except the ``protected`` ones
    (Gradio's ``keep_in_cache``: the examples and the components' own pictures, copied there once at start)."""

    def __init__(self, folder: str | Path, *, max_bytes: int = MAX_FILES_BYTES, max_age: float = FILE_SECONDS,
                 max_session_bytes: int = MAX_SESSION_FILES_BYTES):
        self.folder, self.max_bytes, self.max_age = Path(folder), max_bytes, max_age
        self.max_session_bytes = max_session_bytes
        self.protected: Callable[[], set[str]] = set
        self._lock = threading.Lock()
        self._written_since_sweep = 0
        self._held: dict[str, OrderedDict[Path, int]] = {}  # session → its files (least recently handed first)
        self._holders: dict[Path, set[str]] = {}  # file → the sessions holding it

    def hand_out(self, session: str, path: str | Path, size: int) -> None:
        """``path`` (``size`` bytes) was handed to ``session``: when that session then holds more than
        ``max_session_bytes``, its least recently handed files are let go (deleted unless another session holds
        them)."""
        path = Path(path)
        with self._lock:
            held = self._held.setdefault(session, OrderedDict())
            held[path] = size
            held.move_to_end(path)
            self._holders.setdefault(path, set()).add(session)
            total, unheld = sum(held.values()), []
            for old in list(held):
                if total <= self.max_session_bytes or old == path:
                    break
                total -= held.pop(old)
                unheld += self._let_go(old, session)
        self._delete_unprotected(unheld)

    def release(self, session: str) -> int:
        """``session`` has ended: delete the files it held that no other session holds; bytes freed."""
        with self._lock:
            unheld = [path for old in self._held.pop(session, {}) for path in self._let_go(old, session)]
        return self._delete_unprotected(unheld)

    def _delete_unprotected(self, paths: list[Path]) -> int:
        """Delete ``paths`` but the protected ones (a learner who clicked an example was handed Gradio's copy)."""
        if not paths:
            return 0
        protected = {str(Path(p).resolve()) for p in self.protected()}
        return _delete(path for path in paths if str(path.resolve()) not in protected)

    def held_bytes(self, session: str) -> int:
        with self._lock:
            return sum(self._held.get(session, {}).values())

    def _let_go(self, path: Path, session: str) -> list[Path]:
        holders = self._holders.get(path, set())
        holders.discard(session)
        if holders:
            return []
        self._holders.pop(path, None)
        return [path]

    def _forget_deleted(self) -> None:
        """Drop the records of files deleted meanwhile (by the sweep, or by Gradio), and of sessions left with none."""
        with self._lock:
            gone = [path for path in self._holders if not path.exists()]
            for path in gone:
                for session in self._holders.pop(path):
                    held = self._held.get(session)
                    if held is not None:
                        held.pop(path, None)
                        if not held:
                            del self._held[session]

    def sweep(self, now: float | None = None) -> int:
        """Delete files older than ``max_age``, then the oldest until the rest fit in ``max_bytes``; bytes freed.

        A file's age counts from when it was written here (its ctime, as Gradio counts: a copy keeps the original's
        modification time) or last handed out again (``cache_file`` touches it)."""
        now = time.time() if now is None else now
        with self._lock:
            self._written_since_sweep = 0
            protected = {str(Path(p).resolve()) for p in self.protected()}
            files = []
            for path in self.folder.rglob("*"):
                with contextlib.suppress(OSError):  # a file deleted meanwhile (by Gradio, by another sweep)
                    if path.is_file() and not path.is_symlink() and str(path.resolve()) not in protected:
                        stat = path.stat()
                        files.append((max(stat.st_mtime, stat.st_ctime), stat.st_size, path))
            files.sort()  # oldest first
            total, doomed = sum(size for _, size, _ in files), []
            for written, size, path in files:
                if now - written <= self.max_age and total <= self.max_bytes:
                    break
                total -= size
                doomed.append(path)
            freed = _delete(doomed)
            if freed:
                log.info("deleted %s bytes of old files from %s", f"{freed:,}", self.folder)
        self._forget_deleted()
        return freed

    def written(self, size: int) -> None:
        """``size`` bytes were just written: a burst of writes (a tenth of the budget) sweeps at once."""
        with self._lock:
            self._written_since_sweep += size
            burst = self._written_since_sweep > self.max_bytes // 10
        if burst:
            self.sweep()


def _delete(paths: Iterable[Path]) -> int:
    """Delete ``paths`` (and each one's folder, Gradio's one-file hash folders, when left empty); bytes freed."""
    freed = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size = path.stat().st_size
            path.unlink()
            freed += size
            with contextlib.suppress(OSError):
                path.parent.rmdir()
    return freed


_keeper: CacheKeeper | None = None


def _cache_keeper() -> CacheKeeper:
    global _keeper  # noqa: PLW0603 - one keeper per process, for the folder Gradio uses
    if _keeper is None or _keeper.folder != Path(get_upload_folder()):
        _keeper = CacheKeeper(get_upload_folder())
    return _keeper


@contextlib.asynccontextmanager
async def managed_files(app: Any) -> AsyncIterator[None]:
    """The server's lifespan (``launch(app_kwargs={"lifespan": ...})``): sweep at start and every
    ``FILE_SWEEP_SECONDS`` while it serves."""
    keeper = _cache_keeper()
    keeper.protected = lambda: {path for block in app.get_blocks().blocks.values()
                                for path in getattr(block, "keep_in_cache", ())}

    async def keep_sweeping() -> None:
        while True:
            await asyncio.to_thread(keeper.sweep)
            await asyncio.sleep(FILE_SWEEP_SECONDS)

    task = asyncio.create_task(keep_sweeping())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _current_session() -> str | None:
    """The session of the request being answered (Gradio sets it for every event handler), if any."""
    request = LocalContext.request.get(None)
    return getattr(request, "session_hash", None) or None


def cache_file(data: bytes, name: str) -> str:
    """``data`` as a file called ``name`` (the name the learner's download gets) in Gradio's cache, handed to the
    learner whose request is being answered; its path."""
    path = Path(get_upload_folder()) / hashlib.sha256(data).hexdigest() / Path(name).name
    keeper = _cache_keeper()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{os.getpid()}-{id(data)}{path.suffix}")
        staging.write_bytes(data)
        os.replace(staging, path)  # a reader never sees half a file
        keeper.written(len(data))
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # handed out again: young again for the sweep
    session = _current_session()
    if session:
        keeper.hand_out(session, path, len(data))
    return str(path)


def hold_files(result: Any) -> None:
    """The files of the app's cache that ``result`` (a handler's answer, computed for another learner) names are
    handed to the learner whose request is being answered too."""
    session = _current_session()
    if not session:
        return
    keeper = _cache_keeper()
    for path in _cached_paths(result, keeper.folder):
        with contextlib.suppress(OSError):
            keeper.hand_out(session, path, path.stat().st_size)


def _cached_paths(value: Any, folder: Path) -> Iterable[Path]:
    if isinstance(value, str):
        if os.path.isabs(value) and Path(value).parent.parent == folder:
            yield Path(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _cached_paths(item, folder)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _cached_paths(item, folder)


def hand_uploads_to_sessions(queue: Any) -> None:
    """A file a page uploaded (Gradio's upload route knows no session) is handed to that page's session when a
    request of the page names it, so it leaves with the page like the files the app wrote for it."""
    push = queue.push

    async def push_holding_uploads(body: Any, request: Any, username: str | None) -> tuple[bool, Any, str]:
        session = getattr(body, "session_hash", None)
        if session:
            keeper = _cache_keeper()
            for path in _cached_paths(_upload_paths(getattr(body, "data", None)), keeper.folder):
                with contextlib.suppress(OSError):
                    keeper.hand_out(session, path, path.stat().st_size)
        return await push(body, request, username)

    queue.push = push_holding_uploads


def _upload_paths(value: Any) -> list[str]:
    """The ``path`` of every file a request's data names (Gradio's FileData: ``{"path": ..., "meta": ...}``)."""
    if isinstance(value, dict):
        found = [value["path"]] if isinstance(value.get("path"), str) else []
        return found + [p for item in value.values() if isinstance(item, (dict, list)) for p in _upload_paths(item)]
    if isinstance(value, list):
        return [p for item in value for p in _upload_paths(item)]
    return []


def release_session_files(session: str) -> int:
    """A learner's page has closed: the files handed only to them are deleted; bytes freed."""
    return _cache_keeper().release(session)


def png_file(picture: Image.Image, name: str) -> str:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return cache_file(buffer.getvalue(), name)


def jpeg_gallery(items: Iterable[tuple[np.ndarray, str]]) -> list[tuple[str, str]]:
    """(RGB uint8 picture, caption) pairs → (JPEG file in Gradio's cache, caption), for a ``gr.Gallery``.

    Given arrays, ``gr.Gallery`` encodes each picture on a thread pool; on the 2-core machine that took 50 ms for
    ResNet-18's 68 layer tiles, against 18 ms encoded one after another here (bench/feature_maps.py).
    """
    files = []
    for picture, caption in items:
        buffer = io.BytesIO()
        Image.fromarray(picture).save(buffer, format="JPEG")
        files.append((cache_file(buffer.getvalue(), "layer.jpeg"), caption))
    return files
