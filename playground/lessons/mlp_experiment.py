"""Primer §1's experiment, as data: what decides an MLP playground run, and what it builds.

An :class:`Experiment` is everything that decides a run: data, input features, network, optimiser, seed and
the number of steps trained. It round-trips through a short string (``encode`` / ``decode``) that a learner can
share: the same string rebuilds the same points (``experiment_points``), the same split (``stratified_split``),
the same inputs (``Frame``, ``expand_features``), the same initial weights (``build_network``) and the same
optimiser (``experiment_optimizer``), so it replays to exactly the same network (``lessons.mlp_playground`` trains it).

    >>> experiment = make_experiment(dataset="xor", hidden=[4], activations=["tanh"], seed=1)
    >>> decode(encode(experiment)) == experiment
    True
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import urllib.parse
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np
import torch
from torch import Tensor, nn

from playground.data.points import DATASETS, TWO_CLASSES_ONLY, Points, make_points
from playground.errors import InputError
from playground.inputs import as_whole, in_range
from playground.limits import (
    MAX_MLP_CLASSES,
    MAX_MLP_CONFIG_CHARS,
    MAX_MLP_CONFIG_JSON_BYTES,
    MAX_MLP_COORDINATE,
    MAX_MLP_EXPERIMENT_STEPS,
    MAX_MLP_HIDDEN_LAYERS,
    MAX_MLP_L2,
    MAX_MLP_LABEL_CHARS,
    MAX_MLP_LEARNING_RATE,
    MAX_MLP_NOISE,
    MAX_MLP_POINTS,
    MAX_MLP_TRAIN_RATIO,
    MAX_MLP_WIDTH,
    MAX_SEED,
    MIN_MLP_LEARNING_RATE,
    MIN_MLP_POINTS,
    MIN_MLP_TRAIN_RATIO,
)
from playground.models import ACTIVATION_NAMES, MLP

CSV = "csv"  # the data set made of the learner's own points
DATA_SOURCES: tuple[str, ...] = (*DATASETS, CSV)
FEATURES: tuple[str, ...] = ("x", "y", "x2", "y2", "xy", "sin_x", "sin_y")
ACTIVATIONS: tuple[str, ...] = ("none", *ACTIVATION_NAMES)
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")
SQUARE = 6.0  # the network sees coordinates in [-6, 6]² (TensorFlow Playground's square); CSV points are scaled
CONFIG_PREFIX = "mlp1."  # version 1 of the shareable string: URL-safe base64 of zlib-compressed JSON


# --- the experiment and its shareable string -----------------------------------------------------------------


@dataclass(frozen=True)
class Experiment:
    """Everything that decides a run. Build it with ``make_experiment`` (which checks every value)."""

    dataset: str = "circles"
    points: int = 400  # generated points (a CSV brings its own)
    noise: float = 0.1  # 0 = clean, 1 = heavily overlapping classes
    classes: int = 2
    train_ratio: float = 0.5  # the rest is the test set, never trained on
    features: tuple[str, ...] = ("x", "y")
    hidden: tuple[int, ...] = (4, 2)  # neurons per hidden layer
    activations: tuple[str, ...] = ("tanh", "tanh")  # one per hidden layer
    learning_rate: float = 0.03
    batch_size: int = 10
    optimizer: str = "adam"  # the primer's choice (its training loop uses optim.Adam)
    l2: float = 0.0  # λ of the penalty λ·Σw² added to the training loss (weights only, not biases)
    seed: int = 0  # the points, the split, the initial weights and the order of the mini-batches
    step: int = 0  # steps trained: a shared string replays them
    csv_points: tuple[tuple[float, float, int], ...] = field(default=(), repr=False)  # (x, y, class index)
    csv_classes: tuple[str, ...] = ()


def _choice(value: object, choices: Sequence[str], key: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(key, name=str(value)[:30], choices=", ".join(choices))
    return value


def _as_list(value: object, name: str) -> list:
    if isinstance(value, str):  # "4, 2" from a text box or a hand-written config
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise InputError("mlp.err.not_a_list", name=name)
    return list(value)


def _csv_part(points: object, classes: object) -> tuple[tuple[tuple[float, float, int], ...], tuple[str, ...]]:
    """The learner's points as stored in an experiment (every value checked: it may come from a pasted string)."""
    names = tuple(str(c) for c in _as_list(classes, "csv_classes"))
    rows = _as_list(points, "csv_points")
    if not 2 <= len(names) <= MAX_MLP_CLASSES or len(set(names)) != len(names) or \
            any(not n or len(n) > MAX_MLP_LABEL_CHARS or not n.isprintable() for n in names):
        raise InputError("mlp.err.config_csv")
    if not MIN_MLP_POINTS <= len(rows) <= MAX_MLP_POINTS:
        raise InputError("mlp.err.config_csv")
    stored = []
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != 3:
            raise InputError("mlp.err.config_csv")
        x, y, label = row
        if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < len(names):
            raise InputError("mlp.err.config_csv")
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) or not abs(v) <= MAX_MLP_COORDINATE
               for v in (x, y)):  # (NaN fails the comparison too)
            raise InputError("mlp.err.config_csv")
        stored.append((float(np.float32(x)), float(np.float32(y)), label))
    return tuple(stored), names


_DEFAULT = Experiment()  # make_experiment's defaults are the dataclass's own


def make_experiment(*, dataset: object = _DEFAULT.dataset, points: object = _DEFAULT.points,
                    noise: object = _DEFAULT.noise, classes: object = _DEFAULT.classes,
                    train_ratio: object = _DEFAULT.train_ratio, features: object = _DEFAULT.features,
                    hidden: object = _DEFAULT.hidden, activations: object = _DEFAULT.activations,
                    learning_rate: object = _DEFAULT.learning_rate, batch_size: object = _DEFAULT.batch_size,
                    optimizer: object = _DEFAULT.optimizer, l2: object = _DEFAULT.l2, seed: object = _DEFAULT.seed,
                    step: object = _DEFAULT.step, csv_points: object = (), csv_classes: object = ()) -> Experiment:
    """An :class:`Experiment` from a learner's values, each checked (InputError says what to change).

    XOR and moons always have two classes; a CSV brings its own points and classes (``csv_points`` holds
    ``(x, y, class index)`` rows, e.g. from ``points_of_csv``)."""
    dataset = _choice(dataset, DATA_SOURCES, "mlp.err.dataset")
    feature_list = _as_list(features, "features")
    unknown = [f for f in feature_list if f not in FEATURES]
    if unknown:
        raise InputError("mlp.err.feature", name=str(unknown[0])[:20], choices=", ".join(FEATURES))
    if not feature_list:
        raise InputError("mlp.err.no_features")
    widths = _as_list(hidden, "hidden")
    if len(widths) > MAX_MLP_HIDDEN_LAYERS:
        raise InputError("mlp.err.too_many_layers", count=len(widths), limit=MAX_MLP_HIDDEN_LAYERS)
    widths = [as_whole(w, 1, MAX_MLP_WIDTH, "mlp.width") for w in widths]
    names = _as_list(activations, "activations")
    names = [str(n).strip() if isinstance(n, str) else n for n in names]
    if len(names) != len(widths):
        raise InputError("mlp.err.activation_count", layers=len(widths), count=len(names))
    names = [_choice(n, ACTIVATIONS, "mlp.err.activation") for n in names]
    if dataset == CSV:
        stored, csv_names = _csv_part(csv_points, csv_classes)
        classes = len(csv_names)
        points = len(stored)
    else:
        stored, csv_names = (), ()
        points = as_whole(points, MIN_MLP_POINTS, MAX_MLP_POINTS, "mlp.points")
        classes = 2 if dataset in TWO_CLASSES_ONLY else as_whole(classes, 2, MAX_MLP_CLASSES, "mlp.classes")
    return Experiment(
        dataset=dataset, points=points, noise=in_range(noise, 0.0, MAX_MLP_NOISE, "mlp.noise"), classes=classes,
        train_ratio=in_range(train_ratio, MIN_MLP_TRAIN_RATIO, MAX_MLP_TRAIN_RATIO, "mlp.train_ratio"),
        features=tuple(f for f in FEATURES if f in feature_list), hidden=tuple(widths), activations=tuple(names),
        learning_rate=in_range(learning_rate, MIN_MLP_LEARNING_RATE, MAX_MLP_LEARNING_RATE, "mlp.learning_rate"),
        batch_size=as_whole(batch_size, 1, MAX_MLP_POINTS, "mlp.batch_size"),
        optimizer=_choice(optimizer, OPTIMIZERS, "mlp.err.optimizer"), l2=in_range(l2, 0.0, MAX_MLP_L2, "mlp.l2"),
        seed=as_whole(seed, 0, MAX_SEED, "mlp.seed"), step=as_whole(step, 0, MAX_MLP_EXPERIMENT_STEPS, "mlp.step"),
        csv_points=stored, csv_classes=csv_names)


def points_of_csv(points: Points) -> dict[str, object]:
    """``make_experiment`` arguments for the learner's parsed CSV: ``make_experiment(dataset="csv", **...)``."""
    pairs = zip(points.xy.tolist(), points.labels.tolist(), strict=True)
    rows = tuple((float(x), float(y), int(c)) for (x, y), c in pairs)
    return {"csv_points": rows, "csv_classes": points.class_names}


def with_csv(experiment: Experiment, points: Points) -> Experiment:
    """``experiment``'s settings on the learner's own points (a parsed CSV), from step 0."""
    return make_experiment(**{**asdict(experiment), "dataset": CSV, "step": 0, **points_of_csv(points)})


def encode(experiment: Experiment) -> str:
    """The shareable string: ``mlp1.`` + URL-safe base64 of the compressed JSON of every field."""
    body = asdict(experiment)
    if experiment.dataset != CSV:
        del body["csv_points"], body["csv_classes"]
    else:  # the shortest decimals that read back as the same float32 values
        body["csv_points"] = [[_short(x), _short(y), c] for x, y, c in experiment.csv_points]
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return CONFIG_PREFIX + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def _short(value: float) -> float:
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


def _json_of(text: str) -> bytes:
    """The JSON inside a shareable string (or the text itself when it is JSON), size-checked at every stage."""
    if text.startswith("{"):
        return text.encode("utf-8", "surrogatepass")
    if not text.startswith(CONFIG_PREFIX):
        raise InputError("mlp.err.config_garbage")
    payload = text[len(CONFIG_PREFIX):]
    try:
        compressed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_MLP_CONFIG_JSON_BYTES)
    except (binascii.Error, ValueError, zlib.error):
        raise InputError("mlp.err.config_garbage") from None
    if inflater.unconsumed_tail or not inflater.eof:  # longer than the limit (a zip bomb), or cut short
        raise InputError("mlp.err.config_garbage")
    return raw


def _bounded_int(digits: str) -> int | float:
    """JSON integers too long for a float become inf (refused later with a message), not an OverflowError."""
    return int(digits) if len(digits) <= 18 else float(digits)


def decode(text: object) -> Experiment:
    """The experiment in a shareable string; also accepts a pasted link (``...?mlp=...``) or plain JSON with
    some of the fields (``{"dataset": "xor", "hidden": [4]}``; the others keep their defaults)."""
    text = "" if text is None else str(text).strip()
    if not text:
        raise InputError("mlp.err.config_empty")
    if len(text) > MAX_MLP_CONFIG_CHARS:
        raise InputError("mlp.err.config_too_long", count=f"{len(text):,}", limit=f"{MAX_MLP_CONFIG_CHARS:,}")
    if "mlp=" in text and not text.startswith("{"):  # a whole link was pasted
        text = urllib.parse.unquote(text.split("mlp=", 1)[1].split("&", 1)[0].split("#", 1)[0]).strip()
    try:
        values = json.loads(_json_of(text), parse_int=_bounded_int)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise InputError("mlp.err.config_garbage") from None
    if not isinstance(values, dict):
        raise InputError("mlp.err.config_garbage")
    known = {f.name for f in fields(Experiment)}
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise InputError("mlp.err.config_unknown", name=unknown[0][:30])
    return make_experiment(**values)


# --- data as the network sees it --------------------------------------------------------------------------------


def experiment_points(experiment: Experiment) -> Points:
    """The experiment's points: generated from its seed, or the learner's own."""
    if experiment.dataset == CSV:
        rows = torch.tensor(experiment.csv_points, dtype=torch.float64)  # (N, 3): x, y, class index
        return Points(rows[:, :2].float(), rows[:, 2].long(), experiment.csv_classes)
    return make_points(experiment.dataset, count=experiment.points, noise=experiment.noise,
                       classes=experiment.classes, seed=experiment.seed)


@dataclass(frozen=True)
class Frame:
    """The plotted rectangle (data units) and its affine map onto the network's square [-6, 6]²."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]

    @classmethod
    def around(cls, points: Points, *, generated: bool) -> Frame:
        if generated:  # generated sets already live in the square
            return cls((-SQUARE, SQUARE), (-SQUARE, SQUARE))
        xy = points.xy.double()
        ranges = []
        for axis in (0, 1):
            low, high = float(xy[:, axis].min()), float(xy[:, axis].max())
            half = max((high - low) / 2 * 1.1, 1e-6 * max(1.0, abs(low), abs(high)))  # 5% margin each side
            ranges.append(((low + high) / 2 - half, (low + high) / 2 + half))
        return cls(*ranges)

    def to_square(self, xy: Tensor) -> Tensor:  # (N, 2) data units -> (N, 2) in [-6, 6]², float32
        xy = xy.double()
        low = torch.tensor([self.x_range[0], self.y_range[0]], dtype=torch.float64)
        high = torch.tensor([self.x_range[1], self.y_range[1]], dtype=torch.float64)
        return ((xy - low) / (high - low) * 2 * SQUARE - SQUARE).float()

    def grid(self, side: int) -> tuple[Tensor, Tensor, Tensor]:
        """``side`` × ``side`` points over the frame: xs (side,), ys (side,), and all points (side², 2), row-major
        with y along the rows (the layout of a heatmap's z)."""
        xs = torch.linspace(*self.x_range, side, dtype=torch.float64)
        ys = torch.linspace(*self.y_range, side, dtype=torch.float64)
        yy, xx = torch.meshgrid(ys, xs, indexing="ij")  # (side, side) each
        return xs, ys, torch.stack([xx.flatten(), yy.flatten()], 1)


def expand_features(square_xy: Tensor, features: Sequence[str]) -> Tensor:
    """(N, 2) coordinates in the square → (N, len(features)): the inputs of the network's first layer."""
    u, v = square_xy[:, 0], square_xy[:, 1]
    table = {"x": lambda: u, "y": lambda: v, "x2": lambda: u * u, "y2": lambda: v * v, "xy": lambda: u * v,
             "sin_x": lambda: torch.sin(u), "sin_y": lambda: torch.sin(v)}
    return torch.stack([table[name]() for name in features], 1)


def stratified_split(labels: Tensor, train_ratio: float, seed: int) -> tuple[Tensor, Tensor]:
    """Indices of the train and test points: each class split in the same ratio (at least one point on each
    side when the class has two), the choice drawn from ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    train, test = [], []
    for c in range(int(labels.max()) + 1):
        members = torch.nonzero(labels == c).flatten()
        members = members[torch.randperm(len(members), generator=generator)]
        n_train = min(max(round(train_ratio * len(members)), 1), max(len(members) - 1, 1))
        train.append(members[:n_train])
        test.append(members[n_train:])
    return torch.cat(train).sort().values, torch.cat(test).sort().values


# --- the network -------------------------------------------------------------------------------------------------


def build_network(experiment: Experiment) -> MLP:
    """The project's MLP: features → hidden layers → one logit per class, initialised from the seed.

    Same distribution as PyTorch's default (U(±1/√fan_in) for weights and biases), drawn from a private
    generator so that two learners starting at the same moment cannot disturb each other's weights.
    """
    model = MLP([len(experiment.features), *experiment.hidden, experiment.classes],
                activation=list(experiment.activations))
    generator = torch.Generator().manual_seed(experiment.seed)
    with torch.no_grad():
        for layer in model.layers:
            bound = 1 / math.sqrt(layer.in_features)
            nn.init.uniform_(layer.weight, -bound, bound, generator=generator)
            nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return model


def experiment_optimizer(experiment: Experiment, model: nn.Module) -> torch.optim.Optimizer:
    """The optimiser the experiment names: Adam, plain SGD, or SGD with momentum 0.9."""
    if experiment.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=experiment.learning_rate)
    momentum = 0.9 if experiment.optimizer == "momentum" else 0.0
    return torch.optim.SGD(model.parameters(), lr=experiment.learning_rate, momentum=momentum)

