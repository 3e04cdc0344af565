"""Where computation runs: the one place that decides the device, and the Spaces/launch facts.

CUDA when present, else Apple's MPS where it works, else the CPU; ``PLAYGROUND_DEVICE`` overrides the
default (``PLAYGROUND_DEVICE=cpu python app.py``). The learner can pick any available device in the
header; lessons receive it as a ``torch.device``.
"""

from __future__ import annotations

import os

import torch

from playground.errors import InputError
from playground.i18n import t


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
