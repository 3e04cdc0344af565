"""Two-dimensional points in classes, for the MLP playground (primer §1): generated sets and the learner's CSV.

The generated sets are TensorFlow Playground's (circles, XOR, Gaussian blobs, spiral) plus two moons, in the
square [-6, 6]², drawn from a ``numpy.random.Generator`` seeded by the learner: the same seed gives the same
points on every machine. Classes are balanced (their sizes differ by at most one point). Circles, blobs and
spiral take 2 to ``MAX_MLP_CLASSES`` classes; XOR and moons have two by nature.

The learner's own points come as CSV text, one point per line: ``x, y, label``. A header line is optional;
commas, semicolons or tabs separate the values; labels may be small integers or names. Anything else is an
:class:`~playground.errors.InputError` that says what to change, with the line number.

    >>> points = make_points("spiral", count=300, noise=0.1, classes=3, seed=0)
    >>> points.xy.shape, points.class_names
    (torch.Size([300, 2]), ('0', '1', '2'))
    >>> parse_points_csv("x,y,label\\n1.5,-2,cat\\n0,1,dog\\n2,2,cat\\n-1,0,dog").class_names
    ('cat', 'dog')
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from playground.errors import InputError
from playground.inputs import as_whole, in_range, shown_token
from playground.limits import (
    MAX_MLP_CLASSES,
    MAX_MLP_COORDINATE,
    MAX_MLP_CSV_BYTES,
    MAX_MLP_LABEL_CHARS,
    MAX_MLP_NOISE,
    MAX_MLP_POINTS,
    MAX_SEED,
    MIN_MLP_POINTS,
)

RADIUS = 5.0  # generated points lie within this radius (plus noise) of the origin, inside [-6, 6]²
TWO_CLASSES_ONLY = ("xor", "moons")


@dataclass(frozen=True)
class Points:
    """Points in classes: coordinates, class indices and the name of each class."""

    xy: Tensor  # (N, 2) float32
    labels: Tensor  # (N,) int64 in [0, len(class_names))
    class_names: tuple[str, ...]

    @property
    def classes(self) -> int:
        return len(self.class_names)

    def __len__(self) -> int:
        return len(self.labels)


def _class_sizes(count: int, classes: int) -> list[int]:
    """``count`` points shared out as evenly as possible: 10 in 3 classes → [4, 3, 3]."""
    return [count // classes + (1 if k < count % classes else 0) for k in range(classes)]


# Each generator draws the points of class k (n of them, out of `classes`) without noise, shape (n, 2).
def _circles(rng: np.random.Generator, k: int, n: int, classes: int) -> np.ndarray:
    """Class k is the k-th ring from the centre (class 0 a disc); a gap separates neighbouring rings."""
    band = RADIUS / classes
    inner, outer = (k * band + 0.2 * band if k else 0.0), (k + 1) * band - 0.2 * band
    radius = np.sqrt(rng.uniform(inner**2, outer**2, n))  # uniform over the ring's area
    angle = rng.uniform(0, 2 * math.pi, n)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)


def _xor(rng: np.random.Generator, k: int, n: int, classes: int) -> np.ndarray:
    """Class 0 where x and y have the same sign, class 1 where they differ; kept a little off the axes."""
    magnitude = rng.uniform(0.3, RADIUS, (n, 2))
    sign_x = rng.choice([-1.0, 1.0], n)
    sign_y = sign_x if k == 0 else -sign_x
    return magnitude * np.stack([sign_x, sign_y], 1)


def _blobs(rng: np.random.Generator, k: int, n: int, classes: int) -> np.ndarray:
    """A round Gaussian cloud per class, the centres evenly spaced on a circle (noise widens the clouds)."""
    angle = 2 * math.pi * k / classes + math.pi / 4
    centre = 0.6 * RADIUS * np.array([math.cos(angle), math.sin(angle)])
    return centre + rng.normal(0, 0.8, (n, 2))


def _spiral(rng: np.random.Generator, k: int, n: int, classes: int) -> np.ndarray:
    """One arm per class, each turned by 2π/classes: radius grows with the angle, 1.75 turns outwards."""
    t = rng.uniform(0, 1, n)
    radius = RADIUS * t
    angle = 1.75 * 2 * math.pi * t + 2 * math.pi * k / classes
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)


def _moons(rng: np.random.Generator, k: int, n: int, classes: int) -> np.ndarray:
    """Two interleaving half circles (scikit-learn's make_moons), centred and scaled into the square."""
    angle = rng.uniform(0, math.pi, n)
    if k == 0:
        x, y = np.cos(angle), np.sin(angle)
    else:
        x, y = 1 - np.cos(angle), 0.5 - np.sin(angle)
    return 3.2 * np.stack([x - 0.5, y - 0.25], 1)


# name -> (generator, standard deviation of the noise at noise = 1, in the square's units)
_GENERATORS: dict[str, tuple[Callable[..., np.ndarray], float]] = {
    "circles": (_circles, 1.0),
    "xor": (_xor, 1.2),
    "blobs": (_blobs, 1.6),
    "spiral": (_spiral, 0.8),
    "moons": (_moons, 0.9),
}
DATASETS: tuple[str, ...] = tuple(_GENERATORS)


def make_points(name: str, *, count: object = 400, noise: object = 0.1, classes: object = 2,
                seed: object = 0) -> Points:
    """``count`` points of the generated set ``name`` in ``classes`` balanced classes; ``noise`` in [0, 1]
    adds Gaussian jitter. Everything comes from one ``numpy.random.Generator(seed)``."""
    if name not in _GENERATORS:
        raise InputError("mlp.err.dataset", name=str(name)[:30], choices=", ".join(DATASETS))
    count = as_whole(count, MIN_MLP_POINTS, MAX_MLP_POINTS, "mlp.points")
    noise = in_range(noise, 0.0, MAX_MLP_NOISE, "mlp.noise")
    classes = as_whole(classes, 2, MAX_MLP_CLASSES, "mlp.classes")
    seed = as_whole(seed, 0, MAX_SEED, "mlp.seed")
    if name in TWO_CLASSES_ONLY and classes != 2:
        raise InputError("mlp.err.two_classes_only", dataset=name)
    draw, noise_scale = _GENERATORS[name]
    rng = np.random.default_rng(seed)
    parts, labels = [], []
    for k, n in enumerate(_class_sizes(count, classes)):
        parts.append(draw(rng, k, n, classes))
        labels.append(np.full(n, k))
    xy = np.concatenate(parts) + rng.normal(0, noise * noise_scale, (count, 2))
    return Points(torch.from_numpy(xy.astype(np.float32)), torch.from_numpy(np.concatenate(labels)).long(),
                  tuple(str(k) for k in range(classes)))


# --- the learner's CSV ------------------------------------------------------------------------------------------

_DELIMITERS = (";", "\t", ",")  # tried in this order: "1,5;2;a" is a European file with decimal commas


def _split(line: str, delimiter: str | None) -> list[str]:
    # csv.reader keeps a quoted field whole: "a, b" is one label, not two columns.
    fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True)) if delimiter else line.split()
    return [field.strip().strip('"').strip("'").strip() for field in fields]


def _coordinate(token: str, line: int, delimiter: str | None) -> float:
    text = token.replace(",", ".") if delimiter == ";" else token  # decimal comma, only when commas are free
    try:
        value = float(text)
    except ValueError:
        raise InputError("mlp.err.csv_not_number", line=line, token=shown_token(token)) from None
    if not math.isfinite(value):
        raise InputError("mlp.err.csv_not_finite", line=line, token=shown_token(token))
    if abs(value) > MAX_MLP_COORDINATE:
        raise InputError("mlp.err.csv_too_large_value", line=line, token=shown_token(token),
                         limit=f"{MAX_MLP_COORDINATE:g}")
    return value


def _is_number(token: str) -> bool:
    try:
        float(token.replace(",", "."))
    except ValueError:
        return False
    return True


def _class_order(labels: set[str]) -> list[str]:
    """Integer labels in numeric order (-1 before 1, 2 before 10); otherwise names in alphabetical order."""
    def as_int(label: str) -> int | None:
        return int(label) if re.fullmatch(r"[+-]?\d{1,9}", label) else None

    if all(as_int(label) is not None for label in labels):
        return sorted(labels, key=lambda label: as_int(label))
    return sorted(labels)


def _decode(data: bytes) -> str:
    if b"\x00" in data:  # UTF-16 text or a binary file: both would parse as garbage
        raise InputError("mlp.err.csv_not_text")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is what spreadsheet programs add
    except UnicodeDecodeError:
        raise InputError("mlp.err.csv_not_text") from None


def parse_points_csv(source: str | bytes | Path) -> Points:
    """The learner's points: ``source`` is the CSV text itself (str or bytes) or a ``Path`` to a file.

    A plain ``str`` is always text, never opened as a path, so a text box can never read a server file.
    """
    if isinstance(source, Path):
        size = source.stat().st_size
        if size > MAX_MLP_CSV_BYTES:
            raise InputError("mlp.err.csv_too_big", size=f"{size:,}", limit=f"{MAX_MLP_CSV_BYTES:,}",
                             points=MAX_MLP_POINTS)
        source = source.read_bytes()
    if isinstance(source, bytes):
        if len(source) > MAX_MLP_CSV_BYTES:
            raise InputError("mlp.err.csv_too_big", size=f"{len(source):,}", limit=f"{MAX_MLP_CSV_BYTES:,}",
                             points=MAX_MLP_POINTS)
        source = _decode(source)
    text = "" if source is None else str(source)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MLP_CSV_BYTES:
        raise InputError("mlp.err.csv_too_big", size=f"{len(text.encode('utf-8', 'surrogatepass')):,}",
                         limit=f"{MAX_MLP_CSV_BYTES:,}", points=MAX_MLP_POINTS)
    if "\x00" in text:
        raise InputError("mlp.err.csv_not_text")

    # (line number, stripped line) of every line that holds data; '#' starts a comment line
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.strip().startswith("#")]
    if not lines:
        raise InputError("mlp.err.csv_empty")
    first = lines[0][1]
    delimiter = next((d for d in _DELIMITERS if d in first), None)  # None: values separated by spaces
    header = _split(first, delimiter)
    if len(header) >= 2 and not (_is_number(header[0]) and _is_number(header[1])):
        lines = lines[1:]  # a header such as "x, y, label"
        if not lines:
            raise InputError("mlp.err.csv_empty")

    xy: list[tuple[float, float]] = []
    names: list[str] = []
    for number, line in lines:
        if len(xy) == MAX_MLP_POINTS:
            raise InputError("mlp.err.csv_too_many_points", limit=MAX_MLP_POINTS)
        fields = _split(line, delimiter)
        if len(fields) != 3:
            raise InputError("mlp.err.csv_columns", line=number, count=len(fields))
        x, y = (_coordinate(token, number, delimiter) for token in fields[:2])
        label = _unquoted(fields[2])
        if not label:
            raise InputError("mlp.err.csv_missing_label", line=number)
        if len(label) > MAX_MLP_LABEL_CHARS or not label.isprintable():
            raise InputError("mlp.err.csv_bad_label", line=number, label=shown_token(label), limit=MAX_MLP_LABEL_CHARS)
        xy.append((x, y))
        names.append(label)

    if len(xy) < MIN_MLP_POINTS:
        raise InputError("mlp.err.csv_too_few_points", count=len(xy), limit=MIN_MLP_POINTS)
    distinct = set(names)
    if len(distinct) > MAX_MLP_CLASSES:
        raise InputError("mlp.err.csv_too_many_classes", count=len(distinct), limit=MAX_MLP_CLASSES,
                         some=", ".join(shown_token(n) for n in sorted(distinct)[:MAX_MLP_CLASSES + 1]))
    if len(distinct) < 2:
        raise InputError("mlp.err.csv_one_class", label=shown_token(names[0]))
    order = _class_order(distinct)
    index = {name: k for k, name in enumerate(order)}
    coordinates = torch.tensor(xy, dtype=torch.float64).float()
    return Points(coordinates, torch.tensor([index[n] for n in names], dtype=torch.int64), tuple(order))


def points_to_csv(points: Points) -> str:
    """The points as CSV text with a header (what ``parse_points_csv`` reads back)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")  # quotes a label that holds a comma
    writer.writerow(["x", "y", "label"])
    for (x, y), label in zip(points.xy.tolist(), points.labels.tolist()):
        writer.writerow([_short(x), _short(y), _spreadsheet_safe(points.class_names[label])])
    return text.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), @SUM(A1), =cmd|…): the
# download writes such a label after a "'" (OWASP's advice on CSV injection), which spreadsheets show as text and
# never run, and the parser reads it back without the "'". A label that is a number (-1) stays as it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(label: str) -> str:
    return "'" + label if label.startswith(_FORMULA_STARTS) and not _is_number(label) else label


def _unquoted(label: str) -> str:
    return label[1:] if label.startswith("'") and label[1:].startswith(_FORMULA_STARTS) else label


def _short(value: float) -> str:
    """The shortest decimal that reads back as the same float32."""
    return np.format_float_positional(np.float32(value), unique=True, trim="-")
