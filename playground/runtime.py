"""Where computation runs: the one place that decides the device, and the Spaces/launch facts.

CUDA when present, else Apple's MPS where it works, else the CPU; ``PLAYGROUND_DEVICE`` overrides the
default (``PLAYGROUND_DEVICE=cpu python app.py``). The learner can pick any available device in the
header; lessons receive it as a ``torch.device``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch

from playground.errors import InputError
from playground.i18n import t
from playground.limits import GPU_CALL_SECONDS


def available_devices() -> list[str]:
    """Device names a learner may choose, best first (e.g. ``['cuda:0', 'cpu']``)."""
    names = [f"cuda:{i}" for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        names.append("mps")
    names.append("cpu")
    return names


def default_device() -> str:
    requested = os.environ.get("PLAYGROUND_DEVICE", "").strip()
    if requested:
        return str(resolve_device(requested))
    return available_devices()[0]


def resolve_device(name: str | None) -> torch.device:
    """The ``torch.device`` for a learner's choice; an unavailable device is a clear error, not a crash."""
    if not name:
        return torch.device(available_devices()[0])
    choices = available_devices()
    wanted = name.strip().lower()
    if wanted == "cuda" and any(c.startswith("cuda") for c in choices):
        wanted = "cuda:0"
    if wanted not in choices:
        raise InputError("common.err.device", device=name, choices=", ".join(choices))
    return torch.device(wanted)


def device_of(model: torch.nn.Module) -> torch.device:
    """The device a model's weights are on (every network here keeps them all on one)."""
    return next(model.parameters()).device


def describe_device(name: str, lang: str = "en") -> str:
    """A short human description: 'NVIDIA H100 80GB HBM3 (cuda:0)' or 'CPU (2 threads)'."""
    device = resolve_device(name)
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} ({device})"
    if device.type == "mps":
        return "Apple GPU (mps)"
    return t("common.cpu_threads", lang, threads=torch.get_num_threads())


def on_spaces() -> bool:
    """True inside a Hugging Face Space (which sets SYSTEM=spaces and SPACE_ID)."""
    return os.environ.get("SYSTEM") == "spaces" or bool(os.environ.get("SPACE_ID"))


@functools.cache
def _threads_are_per_thread() -> bool:
    """With PyTorch's OpenMP backend, ``torch.set_num_threads`` applies to the calling thread only."""
    return "parallel backend: OpenMP" in torch.__config__.parallel_info()


@contextlib.contextmanager
def one_cpu_thread(device: torch.device | str) -> Iterator[None]:
    """Run the enclosed PyTorch work on one CPU thread (only this thread changes; nothing on a GPU).

    For the small networks a learner trains in a request (the MLP playground, the transfer-learning race):
    splitting batches of a few pictures or points across busy cores costs more than it saves. Measured on the
    2-core machine while it was training elsewhere: 0.7 ms instead of 3.6 ms per MLP step, 3 ms instead of 150 ms
    for the 10,000-point decision map, 2.3 s instead of 37 s for a 4-epoch LeNet transfer comparison.
    """
    if torch.device(device).type != "cpu" or not _threads_are_per_thread():
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def on_gpu(fn: Callable[..., Any], *, seconds: int = GPU_CALL_SECONDS) -> Callable[..., Any]:
    """``fn`` as a handler that may hold a GPU for at most ``seconds`` per call.

    On a Hugging Face ZeroGPU Space (where the ``spaces`` package is installed) a GPU is lent only while a function
    decorated with ``spaces.GPU`` runs, so the handlers that run networks go through it; ``spaces.GPU`` itself does
    nothing on other hardware. Without the package (locally, in the tests, on a plain CPU or GPU Space) ``fn`` is
    returned unchanged.
    """
    try:
        import spaces  # noqa: PLC0415 - optional: present only on Hugging Face Spaces
    except ImportError:
        return fn
    return spaces.GPU(duration=seconds)(fn)


# --- where the server keeps its files ----------------------------------------------------------------------------

OWN_FILES = Path(tempfile.gettempdir()) / "deep-learning-playground"  # one folder per running server, by its pid


def own_file_folder() -> Path:
    """The folder for this server's files (Gradio's cache: uploads, downloads, drawings): ``<tmp>/deep-learning-
    playground/<pid>``, deleted when the server stops (``remove_own_file_folder``). The folders of servers no
    longer running (killed with ``kill -9``, so they could not clean up) are deleted here, when the next one starts."""
    for folder in OWN_FILES.glob("*"):
        if folder.name.isdigit() and not _running(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
    folder = OWN_FILES / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_own_file_folder() -> None:
    """The server stopped: its files go (Gradio's own clean-up on stopping leaves the files it did not copy itself,
    and may not run at all: it waits for open connections, and Gradio stops waiting after 5 s)."""
    shutil.rmtree(OWN_FILES / str(os.getpid()), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
