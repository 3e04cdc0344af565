"""The target domain of the transfer-learning tab (primer §10): the same MNIST digits, drawn another way.

The bundled networks learned digits as *solid strokes* on *smooth colour gradients* (``digits.colour_digits``).
Here every digit is drawn as a *hollow outline* (the edge of the stroke: dilation minus erosion) on *striped
paper* (two colours in stripes of random width and direction). The labels are the same ten digits, the handwriting
is the same, but the pictures' low-level statistics change: thin double edges instead of thick strokes, and a
background full of edges. A network trained on the source pictures recognises only some of these.

Few labelled target pictures are given (``per_class`` of each digit, from the 4,000 training digits); the 1,000
held-out digits drawn the same new way measure how well each transfer strategy did. Everything is drawn from a
``torch.Generator``: the same seed gives the same pictures.

    >>> x, y = target_train_set(per_class=20, seed=0)   # x: (200, 3, 32, 32) normalised, y: (200,) int64
    >>> x, y = target_held_out_set()                     # (1000, 3, 32, 32), (1000,)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.data.digits import IMAGE_SIZE, colour_digits, load_digits, normalize

TARGET_HELD_OUT_SEED = 2_000_003  # the held-out target pictures, fixed forever (the source's is 1_000_003)
_LUMA = (0.299, 0.587, 0.114)


@dataclass(frozen=True)
class Rendering:
    """The target drawing: placement like the source's, stripes instead of gradients, outlines instead of strokes."""

    size: int = IMAGE_SIZE
    scale: tuple[float, float] = (0.8, 1.05)  # digit size as a fraction of the canvas
    max_rotation_deg: float = 12.0
    max_shift: float = 0.15  # of the canvas half-width, beyond what keeps the digit's box inside
    stripe_period: tuple[float, float] = (3.0, 6.0)  # pixels per light+dark pair: as fine as the outlines
    noise: float = 0.04
    min_contrast: float = 0.35  # luminance difference between the ink and the paper's mean colour


def outline(images: Tensor) -> Tensor:
    """(N, 28, 28) uint8 strokes → (N, 1, 28, 28) float in [0, 1]: only the stroke's edge (3×3 dilation − erosion)."""
    strokes = images.float().unsqueeze(1) / 255
    dilated = F.max_pool2d(strokes, 3, stride=1, padding=1)
    eroded = -F.max_pool2d(-strokes, 3, stride=1, padding=1)
    return (dilated - eroded).clamp(0, 1)


def _uniform(n: int, low: float, high: float, generator: torch.Generator, *shape: int) -> Tensor:
    return low + (high - low) * torch.rand(n, *shape, generator=generator)


def _place(masks: Tensor, rendering: Rendering, generator: torch.Generator) -> Tensor:
    """(N, 1, 28, 28) ink masks → (N, 1, size, size): scaled, rotated and shifted at random onto the canvas."""
    n, size = masks.shape[0], rendering.size
    scale = _uniform(n, *rendering.scale, generator)
    angle = _uniform(n, -1, 1, generator) * math.radians(rendering.max_rotation_deg)
    room = (1 - scale).clamp(min=0) + rendering.max_shift
    shift = _uniform(n, -1, 1, generator, 2) * room[:, None]  # where the digit's centre lands
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)  # (N, 2, 2)
    offset = -(theta @ shift.unsqueeze(2))  # (N, 2, 1)
    grid = F.affine_grid(torch.cat([theta, offset], 2), [n, 1, size, size], align_corners=False)
    return F.grid_sample(masks, grid, padding_mode="zeros", align_corners=False)


def _stripes(n: int, rendering: Rendering, generator: torch.Generator) -> Tensor:
    """(N, size, size) in {0, 1}: stripes of random period, direction and phase."""
    size = rendering.size
    period = _uniform(n, *rendering.stripe_period, generator)
    direction = _uniform(n, 0, math.pi, generator)
    phase = _uniform(n, 0, 2 * math.pi, generator)
    coords = torch.arange(size, dtype=torch.float32)
    along = (torch.cos(direction)[:, None, None] * coords[None, None, :]
             + torch.sin(direction)[:, None, None] * coords[None, :, None])  # (N, size, size)
    return (torch.sin(2 * math.pi * along / period[:, None, None] + phase[:, None, None]) > 0).float()


def draw_target(images: Tensor, *, generator: torch.Generator, rendering: Rendering = Rendering()) -> Tensor:
    """(N, 28, 28) uint8 grey digits → (N, 3, size, size) float32 RGB in [0, 1]: outlines on striped paper."""
    n = images.shape[0]
    mask = _place(outline(images), rendering, generator)  # (N, 1, size, size)
    stripes = _stripes(n, rendering, generator)[:, None]  # (N, 1, size, size)
    colour_a, colour_b = torch.rand(n, 3, generator=generator), torch.rand(n, 3, generator=generator)
    paper = colour_a[:, :, None, None] + (colour_b - colour_a)[:, :, None, None] * stripes

    # Ink: a random colour, pushed dark or light when its luminance is too close to the paper's.
    luma = torch.tensor(_LUMA)
    ink = torch.rand(n, 3, generator=generator)
    paper_luma = ((colour_a + colour_b) / 2) @ luma
    too_close = (ink @ luma - paper_luma).abs() < rendering.min_contrast
    pushed = torch.where((paper_luma > 0.5)[:, None], ink * 0.3, 0.7 + 0.3 * ink)
    ink = torch.where(too_close[:, None], pushed, ink)

    picture = paper * (1 - mask) + ink[:, :, None, None] * mask
    picture = picture + rendering.noise * torch.randn(picture.shape, generator=generator)
    return picture.clamp(0, 1)


def choose_per_class(per_class: int, *, seed: int) -> Tensor:
    """Indices into the 5,000 digits: ``per_class`` training digits of each class, drawn with ``seed``.

    Sorted by class (10 × per_class), so the first of each class is easy to find; batches are shuffled anyway.
    """
    data = load_digits()
    generator = torch.Generator().manual_seed(seed)
    train = data.train_index
    chosen = []
    for digit in range(10):
        of_digit = train[data.labels[train] == digit]
        if len(of_digit) < per_class:
            raise ValueError(f"only {len(of_digit)} training pictures of {digit}, asked for {per_class}")
        chosen.append(of_digit[torch.randperm(len(of_digit), generator=generator)[:per_class]])
    return torch.cat(chosen)


def target_train_pictures(per_class: int, *, seed: int) -> tuple[Tensor, Tensor]:
    """The few labelled target pictures: ((10·per_class, 3, 32, 32) in [0, 1], labels), drawn once with ``seed``."""
    data = load_digits()
    index = choose_per_class(per_class, seed=seed)
    generator = torch.Generator().manual_seed(seed * 100_003 + 7)
    return draw_target(data.images[index], generator=generator), data.labels[index]


def target_train_set(per_class: int, *, seed: int) -> tuple[Tensor, Tensor]:
    """The few labelled target pictures as the networks see them: (x normalised, labels)."""
    pictures, labels = target_train_pictures(per_class, seed=seed)
    return normalize(pictures), labels


@functools.lru_cache(maxsize=1)
def target_held_out_pictures() -> tuple[Tensor, Tensor]:
    """The 1,000 held-out digits drawn the target way: ([0, 1] RGB pictures, labels); fixed, shared."""
    data = load_digits()
    index = data.held_out_index
    pictures = draw_target(data.images[index], generator=torch.Generator().manual_seed(TARGET_HELD_OUT_SEED))
    return pictures, data.labels[index]


def target_held_out_set() -> tuple[Tensor, Tensor]:
    """The 1,000 held-out target digits as the networks see them: (x normalised, labels)."""
    pictures, labels = target_held_out_pictures()
    return normalize(pictures), labels


@dataclass(frozen=True)
class SideBySide:
    """The same handwritten digits drawn both ways: what the source network learned from, and the target."""

    source: Tensor  # (10, 3, 32, 32) in [0, 1]: one digit of each class, as the bundled networks were trained
    target: Tensor  # (10, 3, 32, 32) in [0, 1]: the very same digits as the transfer run trains on them
    labels: Tensor  # (10,) int64: 0 … 9


def side_by_side(*, seed: int, per_class: int = 1) -> SideBySide:
    """The first training digit of each class for ``seed``, drawn the source way and the target way.

    ``per_class`` only matters because it is part of how the target pictures are drawn (one generator for all):
    the target row is exactly what a run with these settings trains on.
    """
    data = load_digits()
    pictures, labels = target_train_pictures(per_class, seed=seed)
    first = torch.arange(10) * per_class  # choose_per_class sorts by class
    index = choose_per_class(per_class, seed=seed)[first]
    source = colour_digits(data.images[index], generator=torch.Generator().manual_seed(seed))
    return SideBySide(source, pictures[first], labels[first])
