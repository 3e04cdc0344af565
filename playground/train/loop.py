"""The primer's training loop (§1): Adam, cross-entropy, mini-batches — reporting through callbacks.

The loop knows nothing about who listens: the CLI prints, the training tab streams curves to the browser.
Batches come straight from tensors (``playground.data.digits.train_batches``), no DataLoader, so the loop
runs as fast as a bare PyTorch loop (bench/train.py measures it). ``fit`` writes the primer's step out by hand
(it is the lesson); the other recipes in ``playground/train/`` share it as ``train_step``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; the same config and seed give the same weights."""

    epochs: int = 20
    lr: float = 1e-3
    batch_size: int = 36  # the primer's batch size
    weight_decay: float = 0.0
    schedule: str = "constant"  # or "cosine": the learning rate falls to 0 along half a cosine
    optimizer: str = "adam"  # the primer's optim.Adam; "sgd" (momentum 0.9) for comparison
    seed: int = 0
    device: str = "cpu"
    report_every: int = 20  # steps between on_step reports


@dataclass
class StepReport:
    epoch: int
    step: int  # global step
    steps_per_epoch: int
    loss: float


@dataclass
class EpochReport:
    epoch: int  # 1-based
    epochs: int
    train_loss: float
    train_accuracy: float
    held_out_loss: float
    held_out_accuracy: float
    seconds: float  # since the start of training
    images_per_second: float


@dataclass
class History:
    """Everything the loop reported, for curves and the manifest."""

    steps: list[StepReport] = field(default_factory=list)
    epochs: list[EpochReport] = field(default_factory=list)
    stopped: bool = False


Batches = Callable[[int], Iterable[tuple[Tensor, Tensor]]]  # epoch -> mini-batches (x, y)


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    if config.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=config.lr, momentum=0.9, weight_decay=config.weight_decay)
    raise ValueError(f"unknown optimizer {config.optimizer!r}")


def _learning_rate(config: TrainConfig, progress: float) -> float:
    if config.schedule == "cosine":
        return config.lr * 0.5 * (1 + math.cos(math.pi * progress))
    return config.lr


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss: Tensor, *, clip: float | None = None,
               schedule: torch.optim.lr_scheduler.LRScheduler | None = None) -> None:
    """One update from a batch's ``loss``: zero the gradients, back-propagate, clip the gradients' total norm to
    ``clip`` (exploding gradients, primer §7), update the parameters, then advance the learning-rate schedule."""
    optimizer.zero_grad()
    loss.backward()
    if clip is not None:
        nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    if schedule is not None:
        schedule.step()


@torch.no_grad()
def evaluate(model: nn.Module, x: Tensor, y: Tensor, *, batch_size: int = 500,
             device: torch.device | str = "cpu") -> tuple[float, float]:
    """(accuracy, mean cross-entropy) of ``model`` on (x, y), in eval mode; the model's mode is restored."""
    was_training = model.training
    model.eval()
    correct, total_loss = 0, 0.0
    for start in range(0, len(y), batch_size):
        xb, yb = x[start : start + batch_size].to(device), y[start : start + batch_size].to(device)
        logits = model(xb)
        total_loss += nn.functional.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    model.train(was_training)
    return correct / len(y), total_loss / len(y)


def fit(
    model: nn.Module,
    batches: Batches,
    held_out: tuple[Tensor, Tensor],
    config: TrainConfig,
    *,
    on_step: Callable[[StepReport], None] | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
    stop: threading.Event | None = None,
) -> History:
    """Train ``model`` in place with the primer's loop; returns what was reported. ``stop`` ends it early."""
    device = torch.device(config.device)
    torch.manual_seed(config.seed)
    model.to(device)
    optimizer = make_optimizer(model, config)
    loss_function = nn.CrossEntropyLoss()
    history = History()
    start, step, images = time.perf_counter(), 0, 0
    for epoch in range(config.epochs):
        model.train()
        seen, correct, loss_sum = 0, 0, 0.0
        epoch_batches = list(batches(epoch))  # views into one tensor of this epoch's pictures
        steps_per_epoch = len(epoch_batches)
        for inputs, labels in epoch_batches:
            if stop is not None and stop.is_set():
                history.stopped = True
                return history
            for group in optimizer.param_groups:
                group["lr"] = _learning_rate(config, (step / steps_per_epoch) / config.epochs)
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()  # zero the parameter gradients
            outputs = model(inputs)  # forward
            loss = loss_function(outputs, labels)  # this batch's training error
            loss.backward()  # back-propagate: the gradient of every parameter
            optimizer.step()  # update the parameters
            step += 1
            if step % config.report_every == 0:  # .item() waits for the device: only now and then
                history.steps.append(StepReport(epoch, step, steps_per_epoch, loss.item()))
                if on_step:
                    on_step(history.steps[-1])
            seen += len(labels)
            loss_sum += loss.detach() * len(labels)  # stays on the device: no sync every step
            correct += (outputs.detach().argmax(1) == labels).sum()
        images += seen
        held_out_accuracy, held_out_loss = evaluate(model, *held_out, device=device)
        elapsed = time.perf_counter() - start
        report = EpochReport(epoch + 1, config.epochs, float(loss_sum) / seen, float(correct) / seen,
                             held_out_loss, held_out_accuracy, elapsed, images / elapsed)
        history.epochs.append(report)
        if on_epoch:
            on_epoch(report)
    return history
