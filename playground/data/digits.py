"""The bundled digits as the CNNs see them: MNIST strokes coloured and placed at random on 32×32 RGB.

The primer's LeNet takes 3×32×32 images (``nn.Conv2d(3, 16, 5)``), so every 28×28 grey digit is scaled,
shifted and slightly rotated onto a 32×32 canvas, painted with a random ink colour over a random two-colour
gradient, and sprinkled with noise. Everything is drawn from a ``torch.Generator``: the same seed gives the
same pictures, and a new seed per epoch is free augmentation. The held-out images use one fixed seed.

    >>> data = load_digits()
    >>> x, y = held_out_set()          # x: (1000, 3, 32, 32) normalised, y: (1000,) int64
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

DIGITS_FILE = Path(__file__).resolve().parents[2] / "assets" / "data" / "mnist_5k.npz"
IMAGE_SIZE = 32
MEAN = (0.5, 0.5, 0.5)  # the primer's transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
STD = (0.5, 0.5, 0.5)
CLASSES = tuple(str(d) for d in range(10))
HELD_OUT_SEED = 1_000_003  # the colours and placement of the held-out images, fixed forever


@dataclass(frozen=True)
class Digits:
    """The 5,000 grey MNIST digits and the fixed stratified split (4,000 train / 1,000 held out)."""

    images: Tensor  # (5000, 28, 28) uint8
    labels: Tensor  # (5000,) int64
    held_out: Tensor  # (5000,) bool

    @property
    def train_index(self) -> Tensor:
        return torch.nonzero(~self.held_out).flatten()

    @property
    def held_out_index(self) -> Tensor:
        return torch.nonzero(self.held_out).flatten()


@functools.lru_cache(maxsize=1)
def load_digits() -> Digits:
    if not DIGITS_FILE.exists():
        raise FileNotFoundError(f"{DIGITS_FILE} is missing; build it with `python -m playground.data.build`")
    with np.load(DIGITS_FILE) as npz:
        return Digits(torch.from_numpy(npz["images"]), torch.from_numpy(npz["labels"]).long(),
                      torch.from_numpy(npz["held_out"]))


@dataclass(frozen=True)
class Colouring:
    """How far the generator may go: digit size as a fraction of the canvas, rotation, noise."""

    size: int = IMAGE_SIZE
    scale: tuple[float, float] = (0.75, 1.05)
    max_rotation_deg: float = 12.0
    max_shift: float = 0.15  # of the canvas half-width, beyond what keeps the digit's box inside
    noise: float = 0.04
    min_contrast: float = 0.35  # luminance difference between ink and background


def _uniform(n: int, low: float, high: float, generator: torch.Generator, *shape: int) -> Tensor:
    return low + (high - low) * torch.rand(n, *shape, generator=generator)


def _luminance(rgb: Tensor) -> Tensor:  # (N, 3) -> (N,)
    return rgb @ torch.tensor([0.299, 0.587, 0.114])


def colour_digits(images: Tensor, *, generator: torch.Generator, colouring: Colouring = Colouring()) -> Tensor:
    """(N, 28, 28) uint8 grey digits → (N, 3, size, size) float32 RGB in [0, 1], all drawn from ``generator``."""
    n, size = images.shape[0], colouring.size
    ink_mask = images.float().unsqueeze(1) / 255  # (N, 1, 28, 28)

    # Placement: an affine map from canvas coordinates to digit coordinates (grid_sample's convention).
    scale = _uniform(n, *colouring.scale, generator)
    angle = _uniform(n, -1, 1, generator) * math.radians(colouring.max_rotation_deg)
    room = (1 - scale).clamp(min=0) + colouring.max_shift
    shift = _uniform(n, -1, 1, generator, 2) * room[:, None]  # centre of the digit on the canvas
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)  # (N, 2, 2)
    offset = -(theta @ shift.unsqueeze(2))  # (N, 2, 1): the digit's centre lands on ``shift``
    grid = F.affine_grid(torch.cat([theta, offset], 2), [n, 1, size, size], align_corners=False)
    mask = F.grid_sample(ink_mask, grid, padding_mode="zeros", align_corners=False)  # (N, 1, size, size)

    # Background: a gradient between two random colours along a random direction.
    colour_a, colour_b = torch.rand(n, 3, generator=generator), torch.rand(n, 3, generator=generator)
    direction = _uniform(n, 0, 2 * math.pi, generator)
    coords = torch.linspace(-1, 1, size)
    ramp = (torch.cos(direction)[:, None, None] * coords[None, None, :]
            + torch.sin(direction)[:, None, None] * coords[None, :, None] + 1.5) / 3  # (N, size, size) in [0, 1]
    background = colour_a[:, :, None, None] + (colour_b - colour_a)[:, :, None, None] * ramp[:, None]

    # Ink: a random colour, pushed dark or light when it is too close to the background's luminance.
    ink = torch.rand(n, 3, generator=generator)
    bg_lum = _luminance((colour_a + colour_b) / 2)
    too_close = (_luminance(ink) - bg_lum).abs() < colouring.min_contrast
    pushed = torch.where((bg_lum > 0.5)[:, None], ink * 0.3, 0.7 + 0.3 * ink)
    ink = torch.where(too_close[:, None], pushed, ink)

    picture = background * (1 - mask) + ink[:, :, None, None] * mask
    picture = picture + colouring.noise * torch.randn(picture.shape, generator=generator)
    return picture.clamp(0, 1)


def normalize(pictures: Tensor) -> Tensor:
    """[0, 1] RGB → the networks' input, (x − 0.5) / 0.5 per channel as in the primer."""
    mean = torch.tensor(MEAN, dtype=pictures.dtype)[:, None, None]
    std = torch.tensor(STD, dtype=pictures.dtype)[:, None, None]
    return (pictures - mean) / std


@functools.lru_cache(maxsize=1)
def held_out_pictures() -> tuple[Tensor, Tensor]:
    """The 1,000 held-out digits as shown to people: ([0, 1] RGB pictures, labels); fixed colours, shared."""
    data = load_digits()
    index = data.held_out_index
    pictures = colour_digits(data.images[index], generator=torch.Generator().manual_seed(HELD_OUT_SEED))
    return pictures, data.labels[index]


def held_out_set() -> tuple[Tensor, Tensor]:
    """The 1,000 held-out digits as the networks see them: (x normalised, labels)."""
    pictures, labels = held_out_pictures()
    return normalize(pictures), labels


def train_batches(*, epoch: int, batch_size: int, seed: int = 0) -> Iterator[tuple[Tensor, Tensor]]:
    """One epoch of shuffled mini-batches with fresh colours and placement, fed from tensors (no DataLoader)."""
    data = load_digits()
    generator = torch.Generator().manual_seed(seed * 100_003 + epoch)
    index = data.train_index
    pictures = normalize(colour_digits(data.images[index], generator=generator))
    labels = data.labels[index]
    order = torch.randperm(len(index), generator=generator)
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        yield pictures[batch], labels[batch]
