"""The app as a ZeroGPU Space would run it: ``python app.py`` with ``SYSTEM=spaces`` and a ``spaces`` package.

The real ``spaces`` package only lends a GPU on Hugging Face's hardware, so a stand-in is put on the path: its
``spaces.GPU(duration=...)`` records which handlers it decorates and every call, and — like ZeroGPU, which runs
the handler in another process — sends the arguments, the result and any error through pickle. The tests check
that the views which run networks go through it (and only they), that their inputs and outputs survive the trip,
and that a learner's mistake still arrives as a readable message.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from playground import runtime
from playground.limits import GPU_CALL_SECONDS
from tests.app.test_api import VALID_CALLS

ROOT = Path(__file__).resolve().parents[2]
VALID_DRAWING = ROOT / "assets" / "examples" / "digit-1.png"
FAKE_SPACES = '''
import functools, json, os, pickle

def _log(**entry):
    with open(os.environ["FAKE_SPACES_LOG"], "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\\n")

def GPU(fn=None, *, duration=60):
    def decorate(handler):
        _log(decorated=handler.__name__, duration=duration)
        @functools.wraps(handler)
        def in_another_process(*args, **kwargs):
            _log(called=handler.__name__)
            args, kwargs = pickle.loads(pickle.dumps((args, kwargs)))
            try:
                result = handler(*args, **kwargs)
            except Exception as err:
                raise pickle.loads(pickle.dumps(err)) from None
            return pickle.loads(pickle.dumps(result))
        return in_another_process
    return decorate(fn) if fn is not None else decorate

def gradio_auto_wrap(fn):  # Gradio calls this for every handler on a Space (the real one keeps request context)
    return fn
'''
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spaces")]  # one stand-in Space for the module
# The views that run a network; everything else (formulas, tiny CPU lessons, training threads) does not ask for one.
KILLED_SERVERS_FILES = runtime.OWN_FILES / "999999999"  # no such process
GPU_VIEWS = {"/feature_maps", "/feature_layer", "/attribution", "/sanity_check", "/compare_networks", "/segment",
             "/rnn_trace", "/rnn_sample", "/attention", "/vit_attention"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    """(client, log path) of ``python app.py`` started as on a ZeroGPU Space, with the stand-in ``spaces``."""
    folder = tmp_path_factory.mktemp("fake-spaces")
    (folder / "spaces").mkdir()
    (folder / "spaces" / "__init__.py").write_text(FAKE_SPACES, encoding="utf-8")
    log = folder / "calls.jsonl"
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]), "FAKE_SPACES_LOG": str(log),
           "SYSTEM": "spaces", "SPACES_ZERO_GPU": "true", "SPACE_ID": "learner/deep-learning-playground",
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    env.pop("GRADIO_TEMP_DIR", None)  # as on a Space: app.py picks its own folder for its files
    KILLED_SERVERS_FILES.mkdir(parents=True, exist_ok=True)  # what a server killed with kill -9 left
    (KILLED_SERVERS_FILES / "drawing.png").write_bytes(b"png")
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"app.py exited: {process.stderr.read()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield Client(f"http://127.0.0.1:{port}", verbose=False, download_files=False), log, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _entries(log: Path, key: str) -> list:
    return [entry for line in log.read_text(encoding="utf-8").splitlines() if key in (entry := json.loads(line))]


def test_the_network_views_go_through_spaces_gpu(space):
    client, log, _ = space
    decorated = _entries(log, "decorated")
    assert decorated and all(entry["duration"] == GPU_CALL_SECONDS for entry in decorated)
    for api_name in sorted(GPU_VIEWS):
        before = len(_entries(log, "called"))
        client.predict(*VALID_CALLS[api_name], api_name=api_name)  # arguments and result survive pickling
        assert len(_entries(log, "called")) == before + 1, f"{api_name} did not ask for the GPU"
    for api_name in ("/softmax", "/conv", "/mlp_step", "/transfer_examples"):
        before = len(_entries(log, "called"))
        client.predict(*VALID_CALLS[api_name], api_name=api_name)
        assert len(_entries(log, "called")) == before, f"{api_name} asked for a GPU it does not need"


def test_a_mistake_inside_the_gpu_call_is_still_a_readable_message(space):
    client, _, _ = space
    with pytest.raises(AppError) as info:
        client.predict("lenet", "bundled", handle_file(str(ROOT / "tests" / "corpus" / "files" / "bomb.png")),
                       "pad", "layer", 1.0, api_name="/feature_maps")
    assert "The picture has" in str(info.value) and "Traceback" not in str(info.value)
    with pytest.raises(AppError) as info:
        client.predict("", "2", "average", 1, "cross", api_name="/attention")
    assert "Type a date" in str(info.value)


def test_a_stop_signal_ends_the_space_and_deletes_its_files(space):
    """SIGTERM (how Spaces, Docker and systemd stop a server) ends it like Ctrl+C, and its folder of files (uploads,
    drawings, downloads) goes with it; the folder a killed server left was deleted when this one started. Last in
    the module: it stops the Space."""
    client, _, process = space
    drawing = client.predict({"background": None, "layers": [], "composite": handle_file(str(VALID_DRAWING))},
                             api_name="/use_drawing")
    own = runtime.OWN_FILES / str(process.pid)
    assert Path(drawing["path"]).is_relative_to(own) and Path(drawing["path"]).is_file()
    assert not KILLED_SERVERS_FILES.exists()
    process.terminate()
    assert process.wait(timeout=30) == 0
    assert not own.exists()
