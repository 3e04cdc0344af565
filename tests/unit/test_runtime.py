"""One place decides the device; launch defaults are safe."""

from __future__ import annotations

import sys
import types

import pytest
import torch

from playground import limits, runtime
from playground.errors import InputError


def test_cpu_is_always_available_and_last():
    assert runtime.available_devices()[-1] == "cpu"


def test_default_device_prefers_an_accelerator(monkeypatch):
    monkeypatch.delenv("PLAYGROUND_DEVICE", raising=False)
    expected = "cuda:0" if torch.cuda.is_available() else runtime.available_devices()[0]
    assert runtime.default_device() == expected


def test_device_override_from_environment(monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DEVICE", "cpu")
    assert runtime.default_device() == "cpu"


def test_unavailable_device_is_a_clear_error():
    with pytest.raises(InputError) as info:
        runtime.resolve_device("tpu:7")
    assert "tpu:7" in str(info.value) and "cpu" in str(info.value)
    assert "tpu:7" in info.value.message("zh")


def test_describe_cpu():
    assert runtime.describe_device("cpu").startswith("CPU (")


def test_launch_defaults_are_safe(monkeypatch):
    from playground.ui import launch_options

    monkeypatch.delenv("SYSTEM", raising=False)
    monkeypatch.delenv("SPACE_ID", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    options = launch_options()
    assert options["server_name"] == "127.0.0.1"
    assert options["share"] is False and options["show_error"] is False
    assert options["max_file_size"] == limits.MAX_UPLOAD_SIZE
    assert "allowed_paths" not in options
    assert options["state_session_capacity"] == limits.MAX_KEPT_SESSIONS  # not Gradio's 10,000 × ~1 MB
    assert launch_options(host="0.0.0.0")["server_name"] == "0.0.0.0"


def test_on_spaces_the_environment_chooses_the_address(monkeypatch):
    from playground.ui import launch_options

    monkeypatch.setenv("SYSTEM", "spaces")
    assert runtime.on_spaces()
    assert "server_name" not in launch_options()  # Spaces sets GRADIO_SERVER_NAME=0.0.0.0


def test_on_gpu_is_the_function_itself_without_the_spaces_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "spaces", None)  # "import spaces" raises ImportError

    def view(x):
        return x + 1

    assert runtime.on_gpu(view) is view


def test_on_gpu_uses_spaces_gpu_with_the_limit_as_duration(monkeypatch):
    asked = []
    fake = types.ModuleType("spaces")

    def gpu(*, duration):
        def decorate(fn):
            def lent(*args):
                asked.append((fn.__name__, duration))
                return fn(*args)
            return lent
        return decorate

    fake.GPU = gpu
    monkeypatch.setitem(sys.modules, "spaces", fake)

    def view(x):
        return x + 1

    wrapped = runtime.on_gpu(view)
    assert wrapped is not view and wrapped(1) == 2
    assert asked == [("view", limits.GPU_CALL_SECONDS)]
    assert runtime.on_gpu(view, seconds=5)(1) == 2 and asked[-1] == ("view", 5)


def test_serving_beyond_this_machine_is_said_at_start():
    from playground.ui import exposure_warning

    assert exposure_warning(None) is None and exposure_warning("127.0.0.1") is None
    everyone = exposure_warning("0.0.0.0")
    assert "every network this machine is on" in everyone and "no login" in everyone and "--auth" in everyone
    assert "no login" not in exposure_warning("0.0.0.0", login=True)
    assert "192.168.1.5" in exposure_warning("192.168.1.5")


def test_a_server_keeps_its_files_in_its_own_folder_and_the_next_start_deletes_a_killed_ones(monkeypatch, tmp_path):
    import os

    monkeypatch.setattr(runtime, "OWN_FILES", tmp_path)
    killed = tmp_path / "999999999"  # no such process: a server killed with kill -9
    (killed / "hash").mkdir(parents=True)
    (killed / "hash" / "drawing.png").write_bytes(b"png")
    running = tmp_path / str(os.getppid())  # a live process: another server still serving
    running.mkdir()
    folder = runtime.own_file_folder()
    assert folder == tmp_path / str(os.getpid()) and folder.is_dir()
    assert not killed.exists() and running.exists()
    (folder / "hash").mkdir()
    (folder / "hash" / "weights.safetensors").write_bytes(b"w")
    runtime.remove_own_file_folder()
    assert not folder.exists() and running.exists()


def test_the_queue_looks_for_work_every_20_ms_not_every_millisecond():
    import inspect

    from gradio.queueing import Queue

    from playground.ui import build_app, prepare_queue
    from playground.ui.common.server import QUEUE_POLL_SECONDS

    # the attribute Gradio's loop sleeps on (an upgrade that renames it must fail here, not idle at 7 % CPU)
    assert "await asyncio.sleep(self.sleep_when_free)" in inspect.getsource(Queue.start_processing)
    assert prepare_queue(build_app())._queue.sleep_when_free == QUEUE_POLL_SECONDS
