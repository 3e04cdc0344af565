"""Proof, not pictures: every lesson compares its readable computation with PyTorch's own function."""

from __future__ import annotations

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
