"""A classroom at once: 20 gradio_client learners, 25 mixed requests each, against one launched app.

    python -m bench.load [learners] [requests_each] [rounds]

Four rounds by default: the first warms up (models loaded, allocator at its working size), the others are
measured. Prints errors over all (goal: none), the measured rounds' latencies, resident memory after each round
(goal: < 10 % growth from the warm-up round to the last), the hooks left on the cached models (goal: none) and
the models cached (each once). tests/app/test_load.py runs a small classroom through ``run_load`` in the suite.
The queue settings it runs under are the app's own (playground/limits.py: QUEUE_MAX_SIZE, DEFAULT_CONCURRENCY).
The full run takes minutes on 2 cores.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench._util import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "examples"


def _requests():
    from gradio_client import handle_file

    digit = handle_file(str(EXAMPLES / "digit-3.png"))
    scene = handle_file(str(EXAMPLES / "scene-2.png"))
    return [
        ("/softmax", ("3, 1, -3", 1.0)),
        ("/conv", (5, 3, 1, 1, 1, 2, 2, 2, True, 0, "", "", "", 1)),
        ("/feature_maps", ("resnet", "bundled", digit, "pad", "layer", 1.0)),
        ("/feature_layer", ("googlenet", "bundled", digit, "pad", "features.inception3a", 0, "channel")),
        ("/attribution", ("lenet", "bundled", digit, "pad", "grad_cam", -1, "", 8, "positive", 0.6, 99.0)),
        ("/segment", ("bundled", scene, 0.6, ["background", *map(str, range(10))], "")),
        ("/rnn_trace", ("gru", 'print("hello")', 2, "h", -1, 1.0)),
        ("/rnn_sample", ("lstm", "The ", 30, 0.8, 1)),
        ("/attention", ("Thursday, 26 November 2026", "2", "average", 4, "cross")),
        ("/vit_attention", ("bundled", digit, 4, 0, "rollout", 0.7)),
        ("/mlp_step", ('{"dataset": "spiral", "classes": 3, "hidden": [8, 8], "seed": 2}', 50)),
        ("/transfer_examples", (3, 5)),
    ]


def _hooks() -> int:
    from playground import zoo

    total = 0
    for loaded in zoo.MODELS._models.values():
        model = getattr(loaded, "model", loaded)
        total += sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks)
                     for m in model.modules())
    return total


@dataclass
class LoadResult:
    """What a load run saw: every request's latency and failure, memory and hooks after each round."""

    learners: int
    each: int
    walls: list[float] = field(default_factory=list)  # seconds per round
    latencies: list[float] = field(default_factory=list)  # measured rounds only
    errors: list[str] = field(default_factory=list)  # every round
    rss: list[int] = field(default_factory=list)  # resident bytes after each round (the first: the warm-up)
    hooks: list[int] = field(default_factory=list)  # hooks left on the cached models after each round

    @property
    def growth(self) -> float:
        """Resident memory after the last round over after the warm-up round, minus 1."""
        return self.rss[-1] / self.rss[0] - 1 if len(self.rss) > 1 else 0.0


def run_load(url: str, learners: int = 20, each: int = 25, rounds: int = 2) -> LoadResult:
    """``learners`` clients at once, each sending ``each`` random requests, ``rounds`` times (the first warms up:
    every model loaded, every code path run, the allocator at its working size)."""
    import psutil
    from gradio_client import Client

    process = psutil.Process()
    requests = _requests()
    clients = [Client(url, verbose=False, download_files=False) for _ in range(learners)]
    result = LoadResult(learners, each)
    lock = threading.Lock()

    def learner(client, seed: int, measured: bool) -> None:
        rng = random.Random(seed)
        for _ in range(each):
            name, args = rng.choice(requests)
            start = time.perf_counter()
            try:
                client.predict(*args, api_name=name)
            except Exception as err:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    result.errors.append(f"{name}: {type(err).__name__}: {str(err)[:120]}")
            if measured:
                with lock:
                    result.latencies.append(time.perf_counter() - start)

    for round_index in range(rounds):
        start = time.perf_counter()
        threads = [threading.Thread(target=learner, args=(client, 1000 * round_index + i, round_index > 0))
                   for i, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.walls.append(time.perf_counter() - start)
        result.rss.append(process.memory_info().rss)
        result.hooks.append(_hooks())
    return result


def main(learners: int = 20, each: int = 25, rounds: int = 4) -> int:
    from playground import zoo
    from playground.ui import build_app, launch_options, prepare_queue

    demo = prepare_queue(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_options(port=free_port()))
    result = run_load(url, learners, each, rounds)
    demo.close()
    measured = len(result.latencies)
    quantiles = statistics.quantiles(result.latencies, n=20)
    print(f"{learners} learners × {each} requests × {rounds - 1} measured rounds (after one warm-up round) = "
          f"{measured} requests in {sum(result.walls[1:]):.1f} s ({measured / sum(result.walls[1:]):.1f} requests/s)")
    print(f"latency median {statistics.median(result.latencies):.2f} s, 95th percentile {quantiles[18]:.2f} s")
    print(f"errors: {len(result.errors)}" + "".join(f"\n  {e}" for e in result.errors[:10]))
    print("resident memory after each round: " + ", ".join(f"{rss / 2**20:.0f} MiB" for rss in result.rss)
          + f" ({result.growth:+.1%} from the warm-up round to the last; goal < +10%)")
    print(f"hooks left on cached models after each round: {result.hooks}; models cached: {len(zoo.MODELS)} "
          f"({', '.join(f'{n}/{w}' for n, w, _ in zoo.MODELS._models)})")
    return 1 if result.errors or result.growth >= 0.10 or any(result.hooks) else 0


if __name__ == "__main__":
    sys.exit(main(*map(int, sys.argv[1:4])))
