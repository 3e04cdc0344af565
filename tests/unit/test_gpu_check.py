"""bench/gpu_check.py stays runnable between the sessions that have a GPU: every view it checks runs here on the
CPU (the same code path, device "cpu") and gives a finite, non-empty result to compare across devices."""

from __future__ import annotations

import pytest
import torch

from bench import gpu_check

VIEWS = gpu_check.views()


def test_every_tab_with_a_network_is_checked():
    names = " ".join(VIEWS).lower()
    for view in ("feature maps", "grad-cam", "segmentation", "lstm", "attention", "vit", "mlp", "transfer", "train"):
        assert view in names, view


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_the_view_runs_on_the_cpu(name):
    result = VIEWS[name]("cpu")
    assert isinstance(result, torch.Tensor) and result.numel() > 0
    assert torch.isfinite(result.float()).all()
