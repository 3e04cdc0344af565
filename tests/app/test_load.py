"""A small classroom through bench/load.py's ``run_load``: many learners at once, mixed requests across tabs.

The full run (20 learners × 25 requests × 4 rounds, memory growth) is ``python -m bench.load``; here a smaller one
checks what must hold at any size: no request fails, no hook is left on a shared model after a round, and each
model the requests need is cached once however many learners asked for it at the same moment.
"""

from __future__ import annotations

import pytest

from bench.load import _requests, run_load
from playground import zoo

pytestmark = pytest.mark.slow


def test_six_learners_at_once_get_answers_and_leave_nothing_behind(app_url):
    result = run_load(app_url, learners=6, each=6, rounds=2)
    assert result.errors == []
    assert len(result.latencies) == 6 * 6  # the second round is measured
    assert result.hooks == [0, 0]
    cached = [(name, weights) for name, weights, _ in zoo.MODELS._models]
    assert len(cached) == len(set(cached))  # one copy per model, whatever the device string
    asked = {"resnet", "googlenet", "lenet", "fcn", "gru", "lstm", "transformer", "vit"}
    assert len(_requests()) == 12 and asked <= {name for name, _ in cached}
