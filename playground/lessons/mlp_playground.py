"""Primer §1 as a playground: a small MLP learns to separate 2-D points, one mini-batch step at a time.

A :class:`Playground` is one live run of an experiment (``lessons.mlp_experiment``): ``train(n)`` takes ``n``
steps of the primer's loop (forward, cross-entropy, backward, optimiser step), ``view()`` returns what the tab
draws: each class's probability over the plane, every hidden neuron's activation over the plane, and the loss
curves. ``resume`` continues a run or replays a shared string; a :class:`PlayRun` trains on picture after
picture until it is stopped.

    >>> from playground.lessons.mlp_experiment import make_experiment
    >>> playground = Playground(make_experiment(dataset="xor", hidden=[4], activations=["tanh"], seed=1))
    >>> playground.train(300)
    300
    >>> round(playground.history.train_accuracy[-1], 2)
    0.99

Without activations ("none" in every hidden layer) the network is one affine map, so its decision boundary
in feature space is a hyperplane — the primer's linear collapse. ``collapsed_linear`` computes that map.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.data.points import Points, points_to_csv
from playground.lessons.mlp_experiment import (
    CSV,
    Experiment,
    Frame,
    build_network,
    encode,
    expand_features,
    experiment_optimizer,
    experiment_points,
    stratified_split,
)
from playground.limits import MAX_MLP_EXPERIMENT_STEPS, MAX_MLP_PLAY_STEPS, MAX_MLP_REPLAYS_KEPT, MLP_FRAME_SECONDS
from playground.models import MLP
from playground.runtime import one_cpu_thread

# --- the linear collapse ------------------------------------------------------------------------------------------

def collapsed_linear(model: MLP) -> tuple[Tensor, Tensor]:
    """For an MLP without activations, the single affine map it computes: logits = features @ W + b.

    (X·W₁ + b₁)·W₂ + b₂ = X·(W₁·W₂) + (b₁·W₂ + b₂), layer after layer (primer §1)."""
    if any(name != "none" for name in model.activation_names):
        raise ValueError("only a network without activations collapses to one linear map")
    first = model.layers[0]
    w, b = first.weight.detach().T.double(), first.bias.detach().double()  # (in, out), (out,)
    for layer in model.layers[1:]:
        w2, b2 = layer.weight.detach().T.double(), layer.bias.detach().double()
        w, b = w @ w2, b @ w2 + b2
    return w, b



# --- a live run ---------------------------------------------------------------------------------------------------


@dataclass
class StepHistory:
    """Loss and accuracy on all train and all test points after every step (step 0: the initial network)."""

    train_loss: list[float] = field(default_factory=list)  # cross-entropy alone, without the L2 penalty
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class View:
    """What the tab draws for one moment of a run (all tensors on the CPU)."""

    experiment: Experiment  # with ``step`` = the steps trained so far
    points: Points
    train_index: Tensor  # (N_train,) indices into points
    test_index: Tensor
    xs: Tensor  # (S,) data units, the decision map's columns
    ys: Tensor  # (S,) its rows
    probabilities: Tensor  # (S, S, classes): softmax of the logits at each grid point
    neuron_xs: Tensor  # (s,)
    neuron_ys: Tensor  # (s,)
    neurons: tuple[Tensor, ...]  # per hidden layer: (width, s, s), each neuron's activation over the plane
    history: StepHistory
    diverged: bool
    collapse_error: float | None  # all activations "none": max |logits − one affine map's| on the grid


class Playground:
    """One learner's run: data, network, optimiser, step count and loss history.

    ``train`` and ``view`` hold the run's lock, so a Step press and a running Play never interleave.
    """

    def __init__(self, experiment: Experiment, *, device: str | torch.device = "cpu"):
        self.device = torch.device(device)
        self.points = experiment_points(experiment)
        self.frame = Frame.around(self.points, generated=experiment.dataset != CSV)
        self.train_index, self.test_index = stratified_split(self.points.labels, experiment.train_ratio,
                                                             experiment.seed)
        inputs = expand_features(self.frame.to_square(self.points.xy), experiment.features).to(self.device)
        labels = self.points.labels.to(self.device)
        self.train_x, self.train_y = inputs[self.train_index], labels[self.train_index]
        self.test_x, self.test_y = inputs[self.test_index], labels[self.test_index]
        self.model = build_network(experiment).to(self.device)
        self.optimizer = experiment_optimizer(experiment, self.model)
        # the order of the mini-batches: a fresh permutation of the train points for every epoch
        self._batches = torch.Generator().manual_seed(experiment.seed + 1)
        self._queue = torch.empty(0, dtype=torch.int64)
        self._experiment = replace(experiment, step=0)
        self.history = StepHistory()
        self.diverged = False
        self.lock = threading.RLock()
        self._record()

    @classmethod
    def replay(cls, experiment: Experiment, *, device: str | torch.device = "cpu") -> Playground:
        """A fresh run trained for ``experiment.step`` steps: the network a shared string describes. Replays are
        shared by every learner (``REPLAYS``): a link a class opens together is trained once, each learner
        getting a copy of their own."""
        return REPLAYS.replayed(experiment, torch.device(device))

    def copy(self) -> Playground:
        """An independent run in the same state: the same network, optimiser state, batch order and history."""
        with self.lock:
            return copy.deepcopy(self)

    # A copy gets a lock of its own. (Taking the lock off the run while copying it, as before, let a second
    # learner copying the same shared replay at that moment find no lock at all: TypeError.)
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.lock = threading.RLock()

    @property
    def step(self) -> int:
        return self._experiment.step

    @property
    def experiment(self) -> Experiment:
        """The experiment with ``step`` = the steps trained so far (what ``encode`` shares)."""
        return self._experiment

    def _next_batch(self) -> Tensor:
        size = min(self._experiment.batch_size, len(self.train_y))
        while len(self._queue) < size:
            self._queue = torch.cat([self._queue, torch.randperm(len(self.train_y), generator=self._batches)])
        batch, self._queue = self._queue[:size], self._queue[size:]
        return batch.to(self.device)

    def _loss(self, logits: Tensor, labels: Tensor) -> Tensor:
        penalty = sum((layer.weight ** 2).sum() for layer in self.model.layers)
        return F.cross_entropy(logits, labels) + self._experiment.l2 * penalty

    def train(self, steps: int) -> int:
        """Up to ``steps`` mini-batch steps (fewer at the experiment limit or once the loss is not finite);
        returns how many were taken."""
        with self.lock, one_cpu_thread(self.device):
            steps = max(0, min(int(steps), MAX_MLP_EXPERIMENT_STEPS - self.step))
            self.model.train()
            for done in range(steps):
                if self.diverged:
                    return done
                batch = self._next_batch()
                loss = self._loss(self.model(self.train_x[batch]), self.train_y[batch])
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                self._experiment = replace(self._experiment, step=self.step + 1)
                self._record()
            return steps

    @torch.no_grad()
    def _record(self) -> None:
        h = self.history
        for x, y, losses, accuracies in ((self.train_x, self.train_y, h.train_loss, h.train_accuracy),
                                         (self.test_x, self.test_y, h.test_loss, h.test_accuracy)):
            if len(y) == 0:
                losses.append(math.nan)
                accuracies.append(math.nan)
                continue
            logits = self.model(x)
            losses.append(float(F.cross_entropy(logits, y)))
            accuracies.append(float((logits.argmax(1) == y).float().mean()))
        if not math.isfinite(h.train_loss[-1]):
            self.diverged = True

    @torch.no_grad()
    def probabilities(self, xy: Tensor) -> Tensor:
        """(N, 2) points in data units → (N, classes) class probabilities (softmax of the logits), on the CPU."""
        with self.lock, one_cpu_thread(self.device):
            inputs = expand_features(self.frame.to_square(xy), self._experiment.features).to(self.device)
            return torch.softmax(self.model(inputs), 1).cpu()

    @torch.no_grad()
    def hidden_activations(self, xy: Tensor) -> tuple[Tensor, list[Tensor]]:
        """(N, 2) points in data units → (logits (N, classes), [every hidden layer's output (N, width)]).

        The outputs are captured by forward hooks on the activation modules during one ordinary forward
        pass, so they are exactly what the next layer receives."""
        with self.lock, one_cpu_thread(self.device):
            captured: list[Tensor] = []
            handles = [act.register_forward_hook(lambda module, args, out: captured.append(out.detach().cpu()))
                       for act in self.model.acts]
            try:
                inputs = expand_features(self.frame.to_square(xy), self._experiment.features).to(self.device)
                logits = self.model(inputs).cpu()
            finally:
                for handle in handles:
                    handle.remove()
            return logits, captured

    def view(self, *, grid_side: int, neuron_side: int) -> View:
        """The decision map (``grid_side``²), every hidden neuron's map (``neuron_side``²) and the history."""
        with self.lock, one_cpu_thread(self.device):
            xs, ys, grid = self.frame.grid(grid_side)
            logits, _ = self.hidden_activations(grid)
            probabilities = torch.softmax(logits, 1).reshape(grid_side, grid_side, -1)
            neuron_xs, neuron_ys, small = self.frame.grid(neuron_side)
            _, hidden = self.hidden_activations(small)
            neurons = tuple(h.T.reshape(-1, neuron_side, neuron_side) for h in hidden)  # (width, s, s) each
            collapse_error = None
            if all(name == "none" for name in self._experiment.activations):
                w, b = (tensor.cpu() for tensor in collapsed_linear(self.model))
                inputs = expand_features(self.frame.to_square(grid), self._experiment.features).double()
                collapse_error = float((inputs @ w + b - logits.double()).abs().max())
            history = StepHistory(*(list(values) for values in (self.history.train_loss, self.history.test_loss,
                                                            self.history.train_accuracy,
                                                            self.history.test_accuracy)))
            return View(self._experiment, self.points, self.train_index, self.test_index, xs, ys, probabilities,
                        neuron_xs, neuron_ys, neurons, history, self.diverged, collapse_error)


class Replays:
    """The last ``size`` replayed experiments, shared by every learner; a replay asked for while the same one is
    running waits for it. The costliest legal experiment takes ~40 s to replay on one core: ten learners opening
    its link each replayed it (median 174 s until their tab was ready)."""

    def __init__(self, size: int = MAX_MLP_REPLAYS_KEPT) -> None:
        self.size = size
        self._done: OrderedDict[tuple[str, str], Playground] = OrderedDict()
        self._running: dict[tuple[str, str], threading.Event] = {}
        self._lock = threading.Lock()
        self.computed = 0  # replays actually trained (for the tests and the bench)

    def replayed(self, experiment: Experiment, device: torch.device) -> Playground:
        key = (encode(experiment), str(device))
        while True:
            with self._lock:
                if key in self._done:
                    self._done.move_to_end(key)
                    return self._done[key].copy()
                waiting = self._running.get(key)
                if waiting is None:
                    self._running[key] = threading.Event()
                    break
            waiting.wait()  # the same replay is running for another learner: its answer is ours
        try:
            playground = Playground(experiment, device=device)
            playground.train(experiment.step)
            self.computed += 1
            with self._lock:
                self._done[key] = playground
                while len(self._done) > self.size:
                    self._done.popitem(last=False)
            return playground.copy()
        finally:
            with self._lock:
                self._running.pop(key).set()


REPLAYS = Replays()


def resume(run: Playground | None, experiment: Experiment, *, device: str | torch.device) -> Playground:
    """``run`` when it is the run ``experiment`` describes (same settings, same step, on ``device``), else
    ``experiment`` replayed there: either way, the same string gives the same network."""
    if run is not None and run.experiment == experiment and str(run.device) == str(device):
        return run
    return Playground.replay(experiment, device=device)


def points_csv(playground: Playground) -> tuple[str, str]:
    """The run's points as a file to download, in the format an upload takes: (file name, CSV text)."""
    experiment = playground.experiment
    name = "my-points" if experiment.dataset == CSV else f"{experiment.dataset}-seed{experiment.seed}"
    return f"{name}.csv", points_to_csv(playground.points)


# --- Play: training picture after picture -------------------------------------------------------------------------

PLAYING, PAUSED, PLAY_LIMIT = "playing", "paused", "play_limit"  # where a Play stands at each picture


class PlayUpdate(NamedTuple):
    playground: Playground  # the run, to be drawn now
    state: str  # PLAYING, or why it stopped: PAUSED (stopped, diverged, at the experiment's limit) or PLAY_LIMIT


class PlayRun:
    """One Play: ``steps`` mini-batch steps per picture until ``stop()``, ``MAX_MLP_PLAY_STEPS``, the
    experiment's step limit or divergence.

    It runs in the reader's thread (the tab's stream), with pictures at most every ``MLP_FRAME_SECONDS``;
    ``join`` waits until its last picture is out, so that the next action continues the run from there.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._done = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the last picture is out (at most ``timeout`` seconds); whether it is."""
        return self._done.wait(timeout)

    def updates(self, run: Playground | None, experiment: Experiment, *, device: str | torch.device,
                steps: int) -> Iterator[PlayUpdate]:
        """The run ``experiment`` describes (``resume``), after every ``steps`` steps; the last update says why
        it stopped. Stopping while a shared string is still being replayed ends the Play at its first picture."""
        try:
            playground = resume(run, experiment, device=device)
            played = 0
            while not self._stop.is_set() and played < MAX_MLP_PLAY_STEPS:
                started = time.monotonic()
                taken = playground.train(min(steps, MAX_MLP_PLAY_STEPS - played))
                played += taken
                if taken < steps or self._stop.is_set() or played >= MAX_MLP_PLAY_STEPS:
                    break  # the last update comes below, with the reason it stopped
                yield PlayUpdate(playground, PLAYING)
                time.sleep(max(0.0, MLP_FRAME_SECONDS - (time.monotonic() - started)))
            yield PlayUpdate(playground, PLAY_LIMIT if played >= MAX_MLP_PLAY_STEPS else PAUSED)
        finally:
            self._done.set()
