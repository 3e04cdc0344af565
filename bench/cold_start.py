"""Cold start: `python app.py` to the first HTTP 200, vs a bare Gradio app with as many tabs that
also imports torch and torchvision (the floor: what any PyTorch + Gradio app pays)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from bench._util import Row, free_port

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = textwrap.dedent("""
    import sys
    import gradio as gr
    import torch, torchvision
    tabs = int(sys.argv[2])
    with gr.Blocks() as demo:
        for i in range(tabs):
            with gr.Tab(f"tab {i}"):
                s = gr.Slider(0, 10, 5); b = gr.Button("run"); p = gr.Plot(); m = gr.Markdown("x")
                b.click(lambda v: str(v), s, m)
    demo.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]))
""")


def _time_to_200(cmd: list[str], port: int, timeout: float = 120.0) -> float:
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(" ".join(cmd))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(repeats: int = 3) -> list[Row]:
    from playground.ui import TABS

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        ours, floor = [], []
        for _ in range(repeats):  # interleaved, so machine noise hits both alike
            port = free_port()
            floor.append(_time_to_200([sys.executable, str(bare), str(port), str(len(TABS))], port))
            port = free_port()
            ours.append(_time_to_200([sys.executable, "app.py", "--port", str(port)], port))
    return [Row("cold start: python app.py → first HTTP 200", statistics.median(ours), statistics.median(floor),
                f"bare Gradio app, {len(TABS)} tabs, torch+torchvision imported", "≤ 1.2×")]
