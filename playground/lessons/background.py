"""Work that outlives one request: a daemon thread that reports through a queue and stops when asked.

The training loop and the transfer-learning race both run this way; the tab reads the queue (``snapshots``) and
streams pictures while the thread trains, and Stop (or a closed page) sets the stop event, which the loop checks
after every mini-batch.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class BackgroundRun:
    """A run in a daemon thread: ``_launch(work, name)`` starts it; what ``work`` returns, or the exception it
    raised, is the last event on ``_events``; ``stop()`` sets the event the work checks."""

    _events: queue.Queue = field(default_factory=queue.Queue, kw_only=True, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, kw_only=True, repr=False)
    _thread: threading.Thread | None = field(default=None, kw_only=True, repr=False)

    def _launch(self, work: Callable[[], object], name: str) -> None:
        def run() -> None:
            try:
                self._events.put(work())
            except BaseException as err:  # noqa: BLE001 - handed to the reader, who reports it
                self._events.put(err)

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
