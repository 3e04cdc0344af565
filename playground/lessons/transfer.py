"""Primer §10: the three common ways of transfer learning, compared on the same few labelled pictures.

The primer lists three ways to reuse a trained network:

1. ``"all"``: load the weights, then train **all** parameters;
2. ``"last"``: load the weights, then train **only the last layers** — here the last ``LAST_STAGES`` stages that
   hold a convolution or a fully connected layer (and the parameter-free layers after them); the rest is frozen;
3. ``"head"``: load the weights, **add one fully connected layer on top of the original network**, and train only
   that new layer (the primer's "fine-tune"). Taken literally: the whole original network stays frozen, and the
   new ``nn.Linear`` reads its output — the source's class scores — and maps them to the target classes;

plus ``"scratch"``: the same architecture, randomly initialised, every parameter trained — the baseline.

Frozen means ``requires_grad=False`` (the optimizer never sees those parameters) *and* eval mode while training:
a BatchNorm layer in train mode would still move its running statistics, and Dropout would still drop.
``compare`` trains the four with the same pictures, mini-batches, epochs, optimizer (Adam), learning rate and seed,
one epoch of each in turn, and reports the held-out accuracy, training loss and seconds of every epoch.
One topic (the three ways and their race), hence longer than most modules.

    >>> prepared = prepare("resnet", "last")
    >>> prepared.counts                         # ParameterCount(trainable=527242, frozen=174976)
    >>> result = compare(TransferConfig(network="lenet", per_class=20, epochs=10))
    >>> {s: curve.final_accuracy for s, curve in result.curves.items()}
"""

from __future__ import annotations

import math
import queue
import statistics
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from playground import zoo
from playground.data.shifted import SideBySide, side_by_side, target_held_out_set, target_train_set
from playground.errors import InputError
from playground.inputs import as_whole, in_range
from playground.lessons.background import BackgroundRun
from playground.limits import (
    MAX_LEARNING_RATE,
    MAX_SEED,
    MAX_TRAIN_SECONDS,
    MAX_TRANSFER_EPOCHS,
    MAX_TRANSFER_PER_CLASS,
    MIN_LEARNING_RATE,
    MIN_TRANSFER_PER_CLASS,
)
from playground.runtime import one_cpu_thread
from playground.train.loop import evaluate

STRATEGIES = ("all", "last", "head", "scratch")
PRETRAINED = ("all", "last", "head")  # the strategies that start from the bundled weights
LAST_STAGES = 2  # "the last few layers": the last two stages with a convolution or a fully connected layer
BATCH_SIZE = 16  # few pictures (200 at 20 per class): small batches give enough steps per epoch
TARGET_CLASSES = 10  # the target task: the same ten digits, drawn another way (playground.data.shifted)

# Seeding torch's global generator and building must not interleave with another learner's run.
_SEED_LOCK = threading.Lock()


def transfer_networks() -> list[str]:
    """The zoo networks this lesson can transfer: the bundled digit classifiers."""
    return zoo.list_models("classify")


# --- which layers learn -----------------------------------------------------------------------------------


def stages(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The network's stages in order: the children of ``features`` and of ``classifier`` (every zoo classifier
    is ``classifier(features(x))``), e.g. ``("features.conv1", Conv2d)`` … ``("classifier.fc3", Linear)``."""
    return [(f"{part}.{name}", module) for part in ("features", "classifier")
            for name, module in getattr(model, part).named_children()]


def _has_weights(module: nn.Module) -> bool:
    """Whether a stage holds a convolution or a fully connected layer (a BatchNorm alone does not count)."""
    return any(isinstance(m, (nn.Conv2d, nn.Linear)) for m in module.modules())


def last_layers(model: nn.Module, count: int = LAST_STAGES) -> tuple[str, ...]:
    """The stages strategy "last" trains: from the ``count``-th last stage with weights to the end.

    LeNet: ``classifier.fc2`` … ``classifier.fc3``; ResNet: ``features.layer4`` … ``classifier.fc``.
    """
    named = stages(model)
    with_weights = [i for i, (_, module) in enumerate(named) if _has_weights(module)]
    first = with_weights[-count] if len(with_weights) >= count else 0
    return tuple(name for name, _ in named[first:])


def final_linear(model: nn.Module) -> str:
    """The name of the network's last fully connected layer (the one that outputs the class scores)."""
    return [name for name, module in model.named_modules() if isinstance(module, nn.Linear)][-1]


@dataclass(frozen=True)
class ParameterCount:
    trainable: int
    frozen: int

    @property
    def total(self) -> int:
        return self.trainable + self.frozen


def trainable_and_frozen(model: nn.Module) -> ParameterCount:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return ParameterCount(trainable, sum(p.numel() for p in model.parameters()) - trainable)


@dataclass
class PreparedStrategy:
    """A network set up for one strategy: which of its modules learn, which stay frozen."""

    strategy: str
    name: str
    model: nn.Module  # "head": Sequential(network=the frozen original, head=the new Linear)
    trained: tuple[str, ...]  # module names whose parameters learn (also kept in train mode)
    frozen: tuple[str, ...]  # module names kept frozen: requires_grad=False and eval mode while training
    head: nn.Linear | None = None  # "head": the new layer on top

    @property
    def counts(self) -> ParameterCount:
        return trainable_and_frozen(self.model)


def _replace_final_linear(model: nn.Module, num_classes: int) -> None:
    """A new last layer when the target has another number of classes than the source (weights can't carry over)."""
    parent_name, _, child = final_linear(model).rpartition(".")
    parent = model.get_submodule(parent_name)
    old = getattr(parent, child)
    setattr(parent, child, nn.Linear(old.in_features, num_classes))


def prepare(name: str, strategy: str, num_classes: int = TARGET_CLASSES, *, seed: int = 0,
            device: str | torch.device = "cpu") -> PreparedStrategy:
    """The network ``name`` ready for ``strategy``: weights loaded (or not), parameters frozen, new layer added.

    The bundled weights are loaded into a fresh copy (never the shared cached model): this copy will be trained.
    ``seed`` decides every random initialisation (the scratch network, the new head, a replaced last layer).
    """
    if strategy not in STRATEGIES:
        raise InputError("xfer.err.strategy", strategy=str(strategy)[:20], choices=", ".join(STRATEGIES))
    entry = zoo.get_entry(name)
    if entry.name not in transfer_networks():
        raise InputError("xfer.err.network", name=entry.family, choices=", ".join(transfer_networks()))
    source_classes = len(entry.classes)
    with _SEED_LOCK:
        torch.manual_seed(seed)
        if strategy == "scratch":
            model = entry.build(num_classes=num_classes)
            prepared = PreparedStrategy(strategy, entry.name, model, ("features", "classifier"), ())
        else:
            model = zoo.load_bundled(entry.name)
            if strategy != "head" and num_classes != source_classes:
                _replace_final_linear(model, num_classes)
            if strategy == "all":
                prepared = PreparedStrategy(strategy, entry.name, model, ("features", "classifier"), ())
            elif strategy == "last":
                trained = last_layers(model)
                frozen = tuple(stage for stage, _ in stages(model) if stage not in trained)
                prepared = PreparedStrategy(strategy, entry.name, model, trained, frozen)
            else:  # "head": the primer's new fully connected layer on top of the whole original network
                head = nn.Linear(source_classes, num_classes)  # (N, source classes) scores → (N, target classes)
                model = nn.Sequential(OrderedDict(network=model, head=head))
                prepared = PreparedStrategy(strategy, entry.name, model, ("head",), ("network",), head)
    for module_name in prepared.frozen:
        prepared.model.get_submodule(module_name).requires_grad_(False)
    prepared.model.to(device)
    set_train_mode(prepared, False)
    return prepared


def set_train_mode(prepared: PreparedStrategy, training: bool = True) -> None:
    """``model.train()`` for the parts that learn; the frozen parts always stay in eval mode (BatchNorm's running
    statistics do not move, Dropout does not drop)."""
    prepared.model.train(training)
    for module_name in prepared.frozen:
        prepared.model.get_submodule(module_name).eval()


def trainable_parameters(model: nn.Module) -> list[nn.Parameter]:
    return [p for p in model.parameters() if p.requires_grad]


# --- the comparison ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferConfig:
    """Everything that decides a comparison; the same config gives the same curves (on the same device)."""

    network: str = "lenet"
    per_class: int = 20  # labelled target pictures of each digit
    epochs: int = 15
    lr: float = 2e-3  # Adam as in the primer (its 1e-3 leaves the new layer of "head" half-trained in 15 epochs)
    seed: int = 0
    device: str = "cpu"
    batch_size: int = BATCH_SIZE


def make_config(*, network: object, per_class: object, epochs: object, lr: object, seed: object,
                device: str = "cpu") -> TransferConfig:
    """The learner's settings as a TransferConfig, within the server's limits (named constants)."""
    if network not in transfer_networks():
        raise InputError("xfer.err.network", name=str(network)[:40], choices=", ".join(transfer_networks()))
    return TransferConfig(network=str(network),
                          per_class=as_whole(per_class, MIN_TRANSFER_PER_CLASS, MAX_TRANSFER_PER_CLASS,
                                             "xfer.per_class"),
                          epochs=as_whole(epochs, 1, MAX_TRANSFER_EPOCHS, "xfer.epochs"),
                          lr=in_range(lr, MIN_LEARNING_RATE, MAX_LEARNING_RATE, "xfer.lr"),
                          seed=as_whole(seed, 0, MAX_SEED, "xfer.seed"), device=str(device))


def examples(*, seed: object, per_class: object) -> SideBySide:
    """The same digits drawn the source way and the target way: exactly what a run with these settings trains on."""
    return side_by_side(seed=as_whole(seed, 0, MAX_SEED, "xfer.seed"),
                        per_class=as_whole(per_class, MIN_TRANSFER_PER_CLASS, MAX_TRANSFER_PER_CLASS,
                                           "xfer.per_class"))


@dataclass(frozen=True)
class EpochPoint:
    epoch: int  # 0: before any training
    held_out_accuracy: float  # on the 1,000 held-out target pictures
    train_loss: float | None  # mean cross-entropy over this epoch's mini-batches (None before training)
    seconds: float  # training time of this epoch (evaluation not included)


@dataclass
class Curve:
    """One strategy's run: what learns, and its held-out accuracy after every epoch."""

    strategy: str
    counts: ParameterCount
    trained: tuple[str, ...]
    points: list[EpochPoint] = field(default_factory=list)

    @property
    def start_accuracy(self) -> float:
        return self.points[0].held_out_accuracy

    @property
    def final_accuracy(self) -> float:
        return self.points[-1].held_out_accuracy

    def accuracy_after(self, epoch: int) -> float:
        return self.points[epoch].held_out_accuracy

    @property
    def epochs_done(self) -> int:
        return len(self.points) - 1

    @property
    def seconds_per_epoch(self) -> float | None:
        """The median training time of an epoch: one epoch slowed by another learner's work does not count."""
        trained = [p.seconds for p in self.points[1:]]
        return statistics.median(trained) if trained else None

    @property
    def diverged(self) -> bool:
        return any(p.train_loss is not None and not math.isfinite(p.train_loss) for p in self.points)


@dataclass
class Comparison:
    """The four strategies so far; ``done`` when finished or stopped."""

    config: TransferConfig
    curves: dict[str, Curve] = field(default_factory=dict)
    done: bool = False
    stopped: bool = False
    error: BaseException | None = None
    elapsed: float = 0.0  # wall-clock seconds since the comparison started (evaluations included)
    time_up: bool = False  # stopped by the run's time budget (limits.MAX_TRAIN_SECONDS), not by the learner

    @property
    def progress(self) -> float:
        if self.done or not self.curves:
            return 1.0 if self.done else 0.0
        epochs = sum(curve.epochs_done for curve in self.curves.values())
        return min(1.0, epochs / (len(STRATEGIES) * self.config.epochs))

    def copy(self) -> Comparison:
        return replace(self, curves={s: replace(c, points=list(c.points)) for s, c in self.curves.items()})

    @property
    def common_epochs(self) -> int:
        """The epochs all four strategies finished: where they can be compared (the race trains them in turn)."""
        return min((curve.epochs_done for curve in self.curves.values()), default=0)


def train_epoch(prepared: PreparedStrategy, optimizer: torch.optim.Optimizer, x: Tensor, y: Tensor, order: Tensor, *,
                batch_size: int, stop: threading.Event | None = None) -> float | None:
    """One pass of the primer's loop over the target pictures in ``order``; the mean loss, or None if stopped."""
    set_train_mode(prepared)  # every epoch: evaluation switched the whole model to eval mode
    loss_sum = torch.zeros((), device=x.device)
    for start in range(0, len(order), batch_size):
        if stop is not None and stop.is_set():
            return None
        batch = order[start : start + batch_size]
        optimizer.zero_grad()  # zero the gradients of the parameters that learn
        loss = F.cross_entropy(prepared.model(x[batch]), y[batch])  # forward + this batch's error
        loss.backward()  # gradients flow only into parameters with requires_grad
        optimizer.step()  # update them; frozen ones were never given to the optimizer
        loss_sum += loss.detach() * len(batch)  # stays on the device: no sync every step
    return float(loss_sum) / len(order)


def _clock(device: torch.device) -> float:
    if device.type == "cuda":  # kernels run asynchronously: wait for them before reading the clock
        torch.cuda.synchronize(device)
    return time.perf_counter()


def compare(config: TransferConfig, *, on_epoch: Callable[[Comparison], None] | None = None,
            stop: threading.Event | None = None) -> Comparison:
    """Train the four strategies on the same few target pictures, one epoch of each in turn.

    Each epoch, all four see the same mini-batches in the same order. ``on_epoch`` gets a copy of the comparison
    after every strategy's epoch (and once before training); ``stop`` ends the run at the next mini-batch, and the
    curves are then cut to the epochs that every strategy finished, so they stay comparable.
    """
    device = torch.device(config.device)
    with one_cpu_thread(device):
        return _compare(config, device, on_epoch, stop)


def _compare(config: TransferConfig, device: torch.device, on_epoch: Callable[[Comparison], None] | None,
             stop: threading.Event | None) -> Comparison:
    started = time.perf_counter()
    x, y = (t.to(device) for t in target_train_set(config.per_class, seed=config.seed))
    held_x, held_y = (t.to(device) for t in target_held_out_set())
    prepared = {s: prepare(config.network, s, TARGET_CLASSES, seed=config.seed, device=device) for s in STRATEGIES}
    optimizers = {s: torch.optim.Adam(trainable_parameters(p.model), lr=config.lr) for s, p in prepared.items()}
    comparison = Comparison(config)

    def report() -> None:
        comparison.elapsed = time.perf_counter() - started
        if on_epoch:
            on_epoch(comparison.copy())

    for strategy, p in prepared.items():
        accuracy, _ = evaluate(p.model, held_x, held_y, device=device)
        comparison.curves[strategy] = Curve(strategy, p.counts, p.trained, [EpochPoint(0, accuracy, None, 0.0)])
    report()
    for epoch in range(1, config.epochs + 1):
        order = torch.randperm(len(y), generator=torch.Generator().manual_seed(config.seed * 1_000 + epoch))
        order = order.to(device)
        for strategy, p in prepared.items():
            epoch_start = _clock(device)
            loss = train_epoch(p, optimizers[strategy], x, y, order, batch_size=config.batch_size, stop=stop)
            if loss is None:
                comparison.elapsed = time.perf_counter() - started
                return _stopped(comparison)
            seconds = _clock(device) - epoch_start
            accuracy, _ = evaluate(p.model, held_x, held_y, device=device)
            comparison.curves[strategy].points.append(EpochPoint(epoch, accuracy, loss, seconds))
            report()
    comparison.done = True
    comparison.elapsed = time.perf_counter() - started
    return comparison


def _stopped(comparison: Comparison) -> Comparison:
    """Stopped mid-epoch: every epoch any strategy finished stays (the curves on screen do not shrink); they are
    compared after the epochs all four finished (``common_epochs``)."""
    comparison.done = comparison.stopped = True
    return comparison


# --- in the background, with Stop (the tab's run) --------------------------------------------------------------


@dataclass
class TransferRun(BackgroundRun):
    """One learner's comparison in a background thread; ``snapshots()`` follows it, ``stop()`` ends it."""

    config: TransferConfig

    @classmethod
    def start(cls, config: TransferConfig) -> TransferRun:
        run = cls(config)
        run._launch(lambda: compare(config, on_epoch=run._events.put, stop=run._stop),
                    name=f"transfer-{config.network}", seconds=MAX_TRAIN_SECONDS)
        return run

    def snapshots(self, *, every: float = 0.5) -> Iterator[Comparison]:
        """The latest comparison, at most every ``every`` seconds, then the final one (``done`` or ``error``)."""
        latest = Comparison(self.config)
        last_yield = 0.0
        while True:
            try:
                event = self._events.get(timeout=every)
            except queue.Empty:
                continue
            while True:  # drain what arrived meanwhile, so the snapshot is current
                if isinstance(event, BaseException):
                    latest = replace(latest.copy(), done=True, error=event)
                else:
                    latest = event
                if latest.done:
                    break
                try:
                    event = self._events.get_nowait()
                except queue.Empty:
                    break
            if latest.done or time.monotonic() - last_yield >= every:
                last_yield = time.monotonic()
                latest.time_up = latest.stopped and self.time_up
                yield latest.copy() if not latest.done else latest
            if latest.done:
                return

