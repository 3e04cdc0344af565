"""Work that outlives one request: a daemon thread that reports through a queue and stops when asked.

The training loop and the transfer-learning race both run this way; the tab reads the queue (``snapshots``) and
streams pictures while the thread trains, and Stop (or a closed page) sets the stop event, which the loop checks
after every mini-batch. A run also stops by itself when its time budget is spent (``seconds``): two learners
training GoogLeNet with batch 8 for 30 epochs held both training slots for ~12 minutes.
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
    _time_up: threading.Event = field(default_factory=threading.Event, kw_only=True, repr=False)

    def _launch(self, work: Callable[[], object], name: str, *, seconds: float) -> None:
        """Run ``work`` in a daemon thread; after ``seconds`` it is asked to stop, like a Stop press."""
        clock = threading.Timer(seconds, self._spend_budget)
        clock.daemon = True

        def run() -> None:
            try:
                self._events.put(work())
            except BaseException as err:  # noqa: BLE001 - handed to the reader, who reports it
                self._events.put(err)
            finally:
                clock.cancel()

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        clock.start()
        self._thread.start()

    def _spend_budget(self) -> None:
        self._time_up.set()
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def time_up(self) -> bool:
        """Stopped because its time budget was spent (not by the learner)."""
        return self._time_up.is_set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
