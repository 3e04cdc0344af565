"""Digit scenes for semantic segmentation (primer §11): several coloured MNIST digits on a textured canvas, and
the class of every pixel — background or the digit it belongs to — like Pascal VOC's "classes + background".

Each scene places up to ``MAX_DIGITS`` digits at random sizes, positions and slight rotations (overlaps
allowed: a later digit covers an earlier one, in the picture and in the mask), paints each in its own ink
over a background made of a colour gradient, soft blobs and stripes, and adds noise. A pixel belongs to a
digit where that digit's stroke covers at least half of it. Everything is drawn from a ``torch.Generator``:
training scenes come from the 4,000 training digits with a fresh seed per batch, the held-out scenes from the
1,000 held-out digits with one fixed seed.

    >>> pictures, masks = held_out_scenes()   # (200, 3, 64, 64) in [0, 1], (200, 64, 64) int64 in 0..10
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.data.digits import CLASSES, _luminance, _uniform, load_digits, normalize

SCENE_SIZE = 64
SEGMENT_CLASSES = ("background", *CLASSES)  # class 0 is the background, class 1 + d the digit d
MAX_DIGITS = 4
DIGIT_SCALE = (0.34, 0.6)  # a digit's 28-pixel box as a fraction of the canvas side (22 to 38 pixels at 64)
MAX_ROTATION_DEG = 15.0
JITTER = 0.35  # how far a digit may wander from its quarter of the canvas (fraction of the half-canvas)
INK_THRESHOLD = 0.5  # a pixel is the digit's where its stroke covers at least this much of it
VOID = 255  # as in Pascal VOC: the 1-pixel ring around the strokes, where a pixel is part stroke, part not;
# it is neither trained on nor scored (torch's cross-entropy ``ignore_index``, the mean IoU skips it)
HELD_OUT_SCENES = 200
HELD_OUT_SCENE_SEED = 2_000_003  # fixed forever: the held-out scenes the manifest's mean IoU is measured on


def _background(n: int, size: int, generator: torch.Generator) -> Tensor:
    """(n, 3, size, size) textures: a two-colour gradient, soft colour blobs and faint stripes."""
    colour_a, colour_b = torch.rand(n, 3, generator=generator), torch.rand(n, 3, generator=generator)
    direction = _uniform(n, 0, 2 * math.pi, generator)
    coords = torch.linspace(-1, 1, size)
    ramp = (torch.cos(direction)[:, None, None] * coords[None, None, :]
            + torch.sin(direction)[:, None, None] * coords[None, :, None] + 1.5) / 3  # (n, size, size)
    picture = colour_a[:, :, None, None] + (colour_b - colour_a)[:, :, None, None] * ramp[:, None]
    blobs = F.interpolate(torch.rand(n, 3, 4, 4, generator=generator) - 0.5, size=(size, size), mode="bicubic",
                          align_corners=False)  # low-frequency colour variation
    angle = _uniform(n, 0, math.pi, generator)
    period = _uniform(n, 4, 12, generator)  # pixels
    phase = ((torch.cos(angle)[:, None, None] * torch.arange(size)[None, None, :]
              + torch.sin(angle)[:, None, None] * torch.arange(size)[None, :, None])
             * (2 * math.pi / period[:, None, None]))
    stripes = torch.sin(phase)[:, None] * _uniform(n, 0, 0.12, generator)[:, None, None, None]
    return (picture + 0.35 * blobs + stripes).clamp(0, 1)


def make_scenes(images: Tensor, labels: Tensor, n: int, *, generator: torch.Generator, size: int = SCENE_SIZE,
                noise: float = 0.04) -> tuple[Tensor, Tensor]:
    """``n`` scenes from the grey digits ``images`` (M, 28, 28) uint8 with ``labels`` (M,): pictures
    (n, 3, size, size) in [0, 1] and masks (n, size, size) int64 with 0 = background, 1 + d = digit d and
    ``VOID`` on the ring around each digit."""
    k = MAX_DIGITS
    count = torch.randint(1, k + 1, (n,), generator=generator)  # 1..4 digits per scene
    present = torch.arange(k)[None, :] < count[:, None]  # (n, k)
    pick = torch.randint(0, len(images), (n * k,), generator=generator)
    ink_mask = images[pick].float().unsqueeze(1) / 255  # (n·k, 1, 28, 28)

    # Placement of each digit: grid_sample's affine map from canvas to digit coordinates, as in digits.py.
    m = n * k
    scale = _uniform(m, *DIGIT_SCALE, generator)
    angle = _uniform(m, -1, 1, generator) * math.radians(MAX_ROTATION_DEG)
    # each digit of a scene near its own quarter of the canvas (in a random order), jittered far enough that
    # neighbours often overlap; the whole digit box stays on the canvas
    quarters = torch.argsort(torch.rand(n, k, generator=generator), dim=1).flatten()  # (m,) in 0..3
    centre = torch.stack([quarters % 2, quarters // 2], 1).float() - 0.5  # (m, 2): ±0.5 of the half-canvas
    shift = (centre + _uniform(m, -1, 1, generator, 2) * JITTER).clamp(-1, 1) * (1 - scale)[:, None]
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)  # (m, 2, 2)
    offset = -(theta @ shift.unsqueeze(2))
    grid = F.affine_grid(torch.cat([theta, offset], 2), [m, 1, size, size], align_corners=False)
    strokes = F.grid_sample(ink_mask, grid, padding_mode="zeros", align_corners=False)  # (m, 1, size, size)
    strokes = strokes.view(n, k, size, size) * present[:, :, None, None]

    picture = _background(n, size, generator)
    mask = torch.zeros(n, size, size, dtype=torch.int64)
    inks = torch.rand(n, k, 3, generator=generator)
    background_lum = _luminance(picture.mean(dim=(2, 3)))  # (n,)
    for slot in range(k):  # later digits on top
        ink = inks[:, slot]
        too_close = (_luminance(ink) - background_lum).abs() < 0.3
        ink = torch.where(too_close[:, None], torch.where((background_lum > 0.5)[:, None], ink * 0.3,
                                                          0.7 + 0.3 * ink), ink)
        alpha = strokes[:, slot : slot + 1]  # (n, 1, size, size)
        picture = picture * (1 - alpha) + ink[:, :, None, None] * alpha
        digit = labels[pick.view(n, k)[:, slot]]  # (n,)
        mask = torch.where(alpha[:, 0] >= INK_THRESHOLD, (1 + digit)[:, None, None], mask)
    ring = F.max_pool2d((mask > 0).float()[:, None], 3, stride=1, padding=1)[:, 0].bool() & (mask == 0)
    mask = torch.where(ring, torch.full_like(mask, VOID), mask)
    picture = picture + noise * torch.randn(picture.shape, generator=generator)
    return picture.clamp(0, 1), mask


@functools.lru_cache(maxsize=1)
def held_out_scenes() -> tuple[Tensor, Tensor]:
    """The 200 fixed held-out scenes, made only from held-out digits: ([0, 1] pictures, masks)."""
    data = load_digits()
    index = data.held_out_index
    return make_scenes(data.images[index], data.labels[index], HELD_OUT_SCENES,
                       generator=torch.Generator().manual_seed(HELD_OUT_SCENE_SEED))


def scene_batches(*, steps: int, batch_size: int, seed: int = 0) -> Iterator[tuple[Tensor, Tensor]]:
    """``steps`` fresh batches of training scenes (normalised pictures, masks) from the training digits."""
    data = load_digits()
    index = data.train_index
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        pictures, masks = make_scenes(data.images[index], data.labels[index], batch_size, generator=generator)
        yield normalize(pictures), masks
