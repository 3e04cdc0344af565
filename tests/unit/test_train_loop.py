"""The step the training recipes share (``train.loop.train_step``) against the same step written out by hand."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from playground.train.loop import train_step


def _run(model: nn.Module, *, by_hand: bool, clip: float | None) -> list[float]:
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 4)
    generator = torch.Generator().manual_seed(0)
    rates = []
    for _ in range(3):
        x = torch.randn(8, 4, generator=generator)
        loss = 100 * model(x).pow(2).mean()  # large gradients, so that a clip of 0.5 bites
        if by_hand:
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            schedule.step()
        else:
            train_step(model, optimizer, loss, clip=clip, schedule=schedule)
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


@pytest.mark.parametrize("clip", [None, 0.5])
def test_train_step_is_the_step_written_out_by_hand(clip):
    torch.manual_seed(0)
    helper = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))
    by_hand = copy.deepcopy(helper)
    assert _run(helper, by_hand=False, clip=clip) == _run(by_hand, by_hand=True, clip=clip)
    for ours, theirs in zip(helper.parameters(), by_hand.parameters(), strict=True):
        assert torch.equal(ours, theirs) and torch.equal(ours.grad, theirs.grad)


def test_train_step_clips_the_total_gradient_norm():
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)  # lr 0: only the gradients change
    train_step(model, optimizer, 1000 * model(torch.randn(8, 4)).pow(2).mean(), clip=0.5)
    norm = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()]))
    assert norm == pytest.approx(0.5, rel=1e-5)
