"""Primer §1 and §3: the training loop, run live on the bundled digits, with the results a learner inspects.

``TrainingRun`` starts the primer's loop (``playground.train.loop.fit``) in a background thread and hands out
snapshots of everything reported so far; ``stop()`` ends it at the next mini-batch. Afterwards it gives the
confusion matrix, the misclassified held-out digits and the trained weights as safetensors bytes.

    >>> run = TrainingRun.start("lenet", TrainConfig(epochs=1))
    >>> for snapshot in run.snapshots(): pass
    >>> snapshot.history.epochs[-1].held_out_accuracy
    >>> trained = run.result(snapshot)               # the evaluation, the weights, what the session keeps
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import torch
from torch import Tensor, nn

from playground import zoo
from playground.data.digits import held_out_pictures, held_out_set, normalize, train_batches
from playground.errors import InputError
from playground.inputs import as_whole, in_range
from playground.lessons.background import BackgroundRun
from playground.limits import (
    MAX_BATCH_SIZE,
    MAX_LEARNING_RATE,
    MAX_SEED,
    MAX_TRAIN_EPOCHS,
    MAX_TRAIN_SECONDS,
    MIN_BATCH_SIZE,
    MIN_LEARNING_RATE,
)
from playground.runtime import device_of
from playground.train.loop import EpochReport, History, StepReport, TrainConfig, fit

OPTIMIZERS = ("adam", "sgd")


def make_config(*, epochs: object, lr: object, batch_size: object, optimizer: str, seed: object,
                device: str = "cpu") -> TrainConfig:
    """The learner's settings as a TrainConfig, within the server's limits (named constants)."""
    if optimizer not in OPTIMIZERS:
        raise InputError("train.err.optimizer", name=str(optimizer)[:20], choices=", ".join(OPTIMIZERS))
    return TrainConfig(epochs=as_whole(epochs, 1, MAX_TRAIN_EPOCHS, "train.epochs"),
                       lr=in_range(lr, MIN_LEARNING_RATE, MAX_LEARNING_RATE, "train.lr"),
                       batch_size=as_whole(batch_size, MIN_BATCH_SIZE, MAX_BATCH_SIZE, "train.batch_size"),
                       optimizer=optimizer,
                       seed=as_whole(seed, 0, MAX_SEED, "train.seed"), device=device)


@dataclass
class Snapshot:
    """What a learner sees while training runs: everything reported so far."""

    name: str
    config: TrainConfig
    history: History
    done: bool = False
    error: BaseException | None = None
    time_up: bool = False  # stopped by the run's time budget (limits.MAX_TRAIN_SECONDS), not by the learner

    @property
    def progress(self) -> float:
        if self.done:
            return 1.0
        if not self.history.steps:
            return 0.0
        last = self.history.steps[-1]
        return min(1.0, last.step / (last.steps_per_epoch * self.config.epochs))


@dataclass(frozen=True)
class Evaluation:
    """The trained network on the held-out digits: its confusion matrix and its mistakes."""

    accuracy: float
    confusion: Tensor  # (10, 10) int64: row = true digit, column = predicted digit
    mistakes: Tensor  # indices into the held-out set, most confident mistakes first
    predicted: Tensor  # (N,) predicted digit for every held-out image
    confidence: Tensor  # (N,) softmax probability of the prediction
    labels: Tensor  # (N,) true digits
    pictures: Tensor  # (N, 3, 32, 32) float in [0, 1]: what the network saw, for display

    @property
    def learnt_nothing(self) -> bool:
        """No better than guessing: under twice chance (10 digits: 20 %). A learning rate too large for the
        optimizer (SGD at 0.5) throws the weights where every picture gets the same answer."""
        return self.accuracy < 2 / self.confusion.shape[0]

    @property
    def favourite(self) -> tuple[int, float]:
        """The digit the network answers most often, and the share of pictures that get it."""
        counts = self.confusion.sum(0)
        return int(counts.argmax()), float(counts.max() / counts.sum())


@dataclass(frozen=True)
class Trained:
    """A finished run: how it ended, the network on the held-out digits, and its weights."""

    snapshot: Snapshot  # the last one: the whole history
    evaluation: Evaluation
    state_dict: dict[str, Tensor]  # on the CPU

    @property
    def record(self) -> dict[str, object]:
        """What the learner's session keeps, so that the other tabs can run this network (see networks.resolve)."""
        return {"state_dict": self.state_dict, "accuracy": self.evaluation.accuracy,
                "epochs": len(self.snapshot.history.epochs)}

    def file_bytes(self) -> bytes:
        """The weights as the safetensors file the learner downloads."""
        return safetensors_bytes(self.state_dict, name=self.snapshot.name, accuracy=self.evaluation.accuracy)


@dataclass
class TrainingRun(BackgroundRun):
    """One learner's training run in a background thread; ``snapshots()`` follows it, ``stop()`` ends it."""

    name: str
    config: TrainConfig
    model: nn.Module
    history: History = field(default_factory=History)

    @classmethod
    def start(cls, name: str, config: TrainConfig) -> TrainingRun:
        entry = zoo.get_entry(name)
        if entry.task != "classify":  # the training set is digits with one label each
            raise InputError("train.err.network", name=entry.family, choices=", ".join(zoo.list_models()))
        torch.manual_seed(config.seed)  # the same seed gives the same initial weights
        run = cls(entry.name, config, entry.build())
        run._launch(run._train, name=f"train-{entry.name}", seconds=MAX_TRAIN_SECONDS)
        return run

    def _train(self) -> None:
        """Fit, reporting every step and epoch; returns None, the reader's sign that the run is done."""
        batches = lambda epoch: train_batches(epoch=epoch, batch_size=self.config.batch_size,  # noqa: E731
                                              seed=self.config.seed)
        self.history = fit(self.model, batches, held_out_set(), self.config, on_step=self._events.put,
                           on_epoch=self._events.put, stop=self._stop)

    def snapshots(self, *, every: float = 0.5) -> Iterator[Snapshot]:
        """A snapshot of everything reported so far, at most every ``every`` seconds, then a final one."""
        seen = History()
        last_yield = 0.0
        while True:
            finished, error = False, None
            try:
                event = self._events.get(timeout=every)
            except queue.Empty:
                continue
            while event is not ...:  # drain what arrived meanwhile, so the snapshot is current
                if event is None:
                    finished = True
                elif isinstance(event, BaseException):
                    finished, error = True, event
                elif isinstance(event, StepReport):
                    seen.steps.append(event)
                elif isinstance(event, EpochReport):
                    seen.epochs.append(event)
                try:
                    event = self._events.get_nowait()
                except queue.Empty:
                    event = ...
            if finished or time.monotonic() - last_yield >= every:
                last_yield = time.monotonic()
                seen.stopped = self.stopped
                yield Snapshot(self.name, self.config,
                               replace(seen, steps=list(seen.steps), epochs=list(seen.epochs)), done=finished,
                               error=error, time_up=self.time_up)
            if finished:
                return

    def evaluate(self) -> Evaluation:
        return evaluate_on_held_out(self.model)

    def result(self, last: Snapshot) -> Trained:
        """The finished run (``last``: the final snapshot) evaluated on the held-out digits."""
        return Trained(last, self.evaluate(), self.state_dict())

    def state_dict(self) -> dict[str, Tensor]:
        return {key: value.detach().cpu().contiguous() for key, value in self.model.state_dict().items()}


@torch.no_grad()
def evaluate_on_held_out(model: nn.Module) -> Evaluation:
    """Predictions of ``model`` (on its own device, eval mode restored afterwards) for the 1,000 held-out digits."""
    pictures, labels = held_out_pictures()
    x = normalize(pictures)
    device = device_of(model)
    was_training = model.training
    model.eval()
    probs = torch.cat([torch.softmax(model(x[i : i + 500].to(device)), 1).cpu() for i in range(0, len(x), 500)])
    model.train(was_training)
    confidence, predicted = probs.max(1)
    confusion = torch.zeros(10, 10, dtype=torch.int64)
    confusion.index_put_((labels, predicted), torch.ones_like(labels), accumulate=True)
    wrong = torch.nonzero(predicted != labels).flatten()
    mistakes = wrong[confidence[wrong].argsort(descending=True)]
    accuracy = float((predicted == labels).float().mean())
    return Evaluation(accuracy, confusion, mistakes, predicted, confidence, labels, pictures)


def safetensors_bytes(state: dict[str, Tensor], *, name: str, accuracy: float) -> bytes:
    """The trained weights as a safetensors file (what the learner downloads)."""
    from safetensors.torch import save

    return save(state, metadata={"name": name, "held_out_accuracy": f"{accuracy:.4f}",
                                 "architecture": zoo.get_entry(name).family})
