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
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from gradio.utils import get_upload_folder
from PIL import Image

from playground.limits import FILE_SECONDS, FILE_SWEEP_SECONDS, MAX_FILES_BYTES

log = logging.getLogger("playground")

EXAMPLES = Path(__file__).resolve().parents[3] / "assets" / "examples"  # the app's own pictures


class CacheKeeper:
    """Keeps one folder within a byte budget and an age: the oldest files go first, except the ``protected`` ones
    (Gradio's ``keep_in_cache``: the examples and the components' own pictures, copied there once at start)."""

    def __init__(self, folder: str | Path, *, max_bytes: int = MAX_FILES_BYTES, max_age: float = FILE_SECONDS):
        self.folder, self.max_bytes, self.max_age = Path(folder), max_bytes, max_age
        self.protected: Callable[[], set[str]] = set
        self._lock = threading.Lock()
        self._written_since_sweep = 0

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
            total, freed = sum(size for _, size, _ in files), 0
            for written, size, path in files:
                if now - written <= self.max_age and total - freed <= self.max_bytes:
                    break
                with contextlib.suppress(OSError):
                    path.unlink()
                    freed += size
                    with contextlib.suppress(OSError):
                        path.parent.rmdir()  # Gradio's hash folders: one file each
            if freed:
                log.info("deleted %s bytes of old files from %s", f"{freed:,}", self.folder)
            return freed

    def written(self, size: int) -> None:
        """``size`` bytes were just written: a burst of writes (a tenth of the budget) sweeps at once."""
        with self._lock:
            self._written_since_sweep += size
            burst = self._written_since_sweep > self.max_bytes // 10
        if burst:
            self.sweep()


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


def cache_file(data: bytes, name: str) -> str:
    """``data`` as a file called ``name`` (the name the learner's download gets) in Gradio's cache; its path."""
    path = Path(get_upload_folder()) / hashlib.sha256(data).hexdigest() / Path(name).name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{os.getpid()}-{id(data)}{path.suffix}")
        staging.write_bytes(data)
        os.replace(staging, path)  # a reader never sees half a file
        _cache_keeper().written(len(data))
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # handed out again: young again for the sweep
    return str(path)


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
