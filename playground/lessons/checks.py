"""Proof, not pictures: every lesson compares its readable computation with PyTorch's own function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class TorchCheck:
    """The outcome of comparing our result with ``op`` (e.g. ``"F.conv2d"``), shown as a badge in the UI."""

    op: str
    max_abs_diff: float
    matches: bool


def compare(ours: Tensor, reference: Tensor, *, op: str, atol: float = 1e-9, rtol: float = 1e-7) -> TorchCheck:
    """Elementwise comparison in float64 on the CPU; different shapes never match."""
    ours = ours.detach().to("cpu", torch.float64)
    reference = reference.detach().to("cpu", torch.float64)
    if ours.shape != reference.shape:
        return TorchCheck(op, float("inf"), False)
    if ours.numel() == 0:
        return TorchCheck(op, 0.0, True)
    diff = (ours - reference).abs()
    both_inf = torch.isinf(ours) & torch.isinf(reference) & (torch.sign(ours) == torch.sign(reference))
    diff = torch.where(both_inf, torch.zeros_like(diff), diff)
    matches = bool(torch.allclose(ours, reference, atol=atol, rtol=rtol, equal_nan=False))
    return TorchCheck(op, float(diff.max()), matches)


# --- PyTorch's own function on the learner's device ---------------------------------------------------------


def run_on(device: torch.device | str, function: Callable[..., Tensor], *tensors: Tensor | None) -> Tensor:
    """``function(*tensors)`` without gradients, the tensors moved to ``device`` in the precision it supports
    (MPS has no float64: float32 there)."""
    device = torch.device(device)
    dtype = torch.float32 if device.type == "mps" else torch.float64
    with torch.no_grad():
        return function(*(None if t is None else t.to(device, dtype) for t in tensors))


def compare_on(device: torch.device | str, ours: Tensor, reference: Tensor, *, op: str) -> TorchCheck:
    """``compare`` at the precision ``run_on`` used on ``device``: float32's on MPS."""
    if torch.device(device).type == "mps":
        return compare(ours, reference, op=op, atol=1e-4, rtol=1e-5)
    return compare(ours, reference, op=op)
