"""Training throughput: the training tab's loop (fit + callbacks + held-out check each epoch, as the tab runs
it) vs a plain PyTorch loop over the same pre-made batches — LeNet, batch 36, as in the primer."""

from __future__ import annotations

import queue
import time

import torch
from torch import nn

from bench._util import Row
from playground.data.digits import held_out_set, train_batches
from playground.models.lenet import LeNet
from playground.train.loop import TrainConfig, evaluate, fit

EPOCHS, BATCH = 3, 36


def _batches() -> list[list[tuple[torch.Tensor, torch.Tensor]]]:
    return [list(train_batches(epoch=e, batch_size=BATCH)) for e in range(EPOCHS)]


def _plain(epochs: list, *, check_each_epoch: bool = False) -> float:
    torch.manual_seed(0)
    held_out = held_out_set()
    model, loss_fn = LeNet(), nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    for batches in epochs:
        for x, y in batches:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        if check_each_epoch:  # what the tab adds on purpose: the held-out accuracy for its live curve
            evaluate(model, *held_out)
    return time.perf_counter() - start


def _ours(epochs: list) -> float:
    events: queue.Queue = queue.Queue()  # what the tab's reader drains
    torch.manual_seed(0)
    model = LeNet()
    start = time.perf_counter()
    fit(model, lambda e: epochs[e], held_out_set(), TrainConfig(epochs=EPOCHS, batch_size=BATCH),
        on_step=events.put, on_epoch=events.put)
    return time.perf_counter() - start


def run() -> list[Row]:
    epochs = _batches()  # colouring is shared by both, made once
    images = sum(len(y) for batches in epochs for _, y in batches)
    plain = min(_plain(epochs) for _ in range(3))
    checked = min(_plain(epochs, check_each_epoch=True) for _ in range(3))
    ours = min(_ours(epochs) for _ in range(3))
    print(f"training: ours {images / ours:,.0f} img/s, plain loop {images / plain:,.0f} img/s "
          f"(throughput ratio {plain / ours:.2f}), plain loop + held-out check {images / checked:,.0f} img/s "
          f"(ratio {checked / ours:.2f}); goal ≥ 0.9")
    return [Row("training tab's loop, LeNet batch 36, 3 epochs", ours, plain, "plain PyTorch loop, same batches",
                "≤ 1.11×"),
            Row("  same, floor also checks held-out each epoch", ours, checked,
                "plain loop + the same held-out check", "≤ 1.11×")]
