"""A burst of big legal pictures against one launched app: peak and after-burst resident memory, and disk.

    python -m bench.picture_burst [clients] [rounds]

Each of ``clients`` gradio_client learners sends, at the same moment, a 16-bit grey PNG of 7,000 × 7,000 pixels
(95 KB on disk, 98 MB decoded: under limits.MAX_DECODED_BYTES) to ``/use_drawing`` and to ``/feature_maps``, for
``rounds`` rounds. Resident memory is sampled every 20 ms. Printed: memory before, the peak during each burst
and 5 s after it (goal: back within ~10 % of where the first burst left it: no growth burst after burst), how
many decodes ran at once at most (limits.MAX_CONCURRENT_DECODES), and the bytes left in the app's file folder
once the server is closed (goal: none). The issue's measurement before the byte budget: two bursts of 8
decodes took the server to 10.1 GB and memory never came back.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench._util import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def _big_sixteen_bit_png() -> bytes:
    import numpy as np
    from PIL import Image

    picture = Image.fromarray(np.tile(np.arange(7_000, dtype=np.uint16) * 9, (7_000, 1)))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def main(clients: int = 8, rounds: int = 3) -> int:
    import psutil
    from gradio_client import Client, handle_file

    folder = Path(tempfile.mkdtemp(prefix="playground-burst-"))
    os.environ["GRADIO_TEMP_DIR"] = str(folder / "files")  # before the app is built: its files go there
    from playground.lessons import images
    from playground.ui import build_app, launch_options, prepare_queue

    decoding, most = 0, 0
    lock = threading.Lock()
    decode = images._decode

    def counted(data: bytes):
        nonlocal decoding, most
        with lock:
            decoding += 1
            most = max(most, decoding)
        try:
            return decode(data)
        finally:
            with lock:
                decoding -= 1

    images._decode = counted
    picture = folder / "sixteen-bit-7000.png"
    picture.write_bytes(_big_sixteen_bit_png())
    demo = prepare_queue(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_options(port=free_port()))
    process = psutil.Process()
    learners = [Client(url, verbose=False, download_files=False) for _ in range(clients)]
    print(f"{clients} learners, {picture.stat().st_size:,}-byte picture decoding to "
          f"{7_000 * 7_000 * 2 / 1e6:.0f} MB; {rounds} bursts")
    print(f"resident before: {process.memory_info().rss / 2**20:,.0f} MiB")
    for burst in range(1, rounds + 1):
        peak, done = [0], threading.Event()

        def sample(peak: list[int] = peak, done: threading.Event = done) -> None:
            while not done.is_set():
                peak[0] = max(peak[0], process.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        start = time.perf_counter()
        calls = []
        for client in learners:
            drawing = {"background": None, "layers": [], "composite": handle_file(str(picture))}
            calls.append(client.submit(drawing, api_name="/use_drawing"))
            calls.append(client.submit("lenet", "bundled", handle_file(str(picture)), "pad", "layer", 1.0,
                                       api_name="/feature_maps"))
        failures = 0
        for call in calls:
            try:
                call.result()
            except Exception:  # noqa: BLE001 - counted, not expected
                failures += 1
        seconds = time.perf_counter() - start
        time.sleep(5)
        done.set()
        sampler.join()
        after = process.memory_info().rss
        print(f"burst {burst}: {len(calls)} calls in {seconds:.1f} s, {failures} failed; peak {peak[0] / 2**20:,.0f} "
              f"MiB, 5 s after {after / 2**20:,.0f} MiB")
    print(f"decodes at once, at most: {most}")
    demo.close()
    left = sum(p.stat().st_size for p in (folder / "files").rglob("*") if p.is_file())
    print(f"bytes in the app's file folder after close: {left:,} (the examples Gradio keeps: "
          f"{sum(1 for p in (folder / 'files').rglob('*') if p.is_file())} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
