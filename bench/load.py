"""A classroom at once: 20 gradio_client learners, 25 mixed requests each, against one launched app.

    python -m bench.load [learners] [requests_each]

Two rounds: the first warms up (models loaded, allocator at its working size), the second is measured. Prints
errors over both (goal: none), the second round's latencies, resident memory after each round (goal: < 10 %
growth in the second), the hooks left on the cached models (goal: none) and the models cached (each once).
The queue settings it runs under are the app's own (playground/limits.py: QUEUE_MAX_SIZE, DEFAULT_CONCURRENCY).
Not part of the test suite: it takes minutes on 2 cores.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

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
    ]


def _hooks() -> int:
    from playground import zoo

    total = 0
    for loaded in zoo.MODELS._models.values():
        model = getattr(loaded, "model", loaded)
        total += sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks)
                     for m in model.modules())
    return total


def main(learners: int = 20, each: int = 25) -> int:
    import psutil
    from gradio_client import Client

    from playground import zoo
    from playground.ui import build_app, launch_options, prepare_queue

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = prepare_queue(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_options(port=port))
    process = psutil.Process()
    requests = _requests()
    clients = [Client(url, verbose=False, download_files=False) for _ in range(learners)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def learner(client, seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(each):
            name, args = rng.choice(requests)
            start = time.perf_counter()
            try:
                client.predict(*args, api_name=name)
            except Exception as err:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(f"{name}: {type(err).__name__}: {str(err)[:120]}")
            with lock:
                latencies.append(time.perf_counter() - start)

    def round_(offset: int) -> float:
        start = time.perf_counter()
        threads = [threading.Thread(target=learner, args=(client, offset + i)) for i, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    # warm-up: one whole round (every model loaded, every code path run, the allocator at its working size);
    # then the measured round, whose memory growth would be a leak
    round_(0)
    rss_warm = process.memory_info().rss
    latencies.clear()
    wall = round_(1000)
    rss_end = process.memory_info().rss
    demo.close()
    quantiles = statistics.quantiles(latencies, n=20)
    print(f"{learners} learners × {each} requests = {len(latencies)} in {wall:.1f} s "
          f"({len(latencies) / wall:.1f} requests/s)")
    print(f"latency median {statistics.median(latencies):.2f} s, 95th percentile {quantiles[18]:.2f} s")
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
    growth = rss_end / rss_warm - 1
    print(f"resident memory after the warm-up round {rss_warm / 2**20:.0f} MiB, after the measured round "
          f"{rss_end / 2**20:.0f} MiB "
          f"({growth:+.1%}; goal < +10%)")
    print(f"hooks left on cached models: {_hooks()}; models cached: {len(zoo.MODELS)} "
          f"({', '.join(f'{n}/{w}' for n, w, _ in zoo.MODELS._models)})")
    return 1 if errors or growth >= 0.10 or _hooks() else 0


if __name__ == "__main__":
    sys.exit(main(*map(int, sys.argv[1:3])))
