"""The learner's picture, read safely and prepared exactly as a network expects — with every step shown.

``open_image`` turns any upload into an upright RGB picture (EXIF rotation applied, 16-bit, CMYK, palette,
transparency and animation handled, decompression bombs refused before decoding) and says what it did.
``prepare`` makes the network's input: square by padding (or centre-cropping), resized, normalised; the
picture it returns is exactly what the network sees, so nothing is squashed behind the learner's back.
"""

from __future__ import annotations

import ctypes
import functools
import io
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from PIL import Image, ImageOps
from torch import Tensor

from playground.errors import InputError
from playground.limits import MAX_CONCURRENT_DECODES, MAX_DECODED_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE

Fit = Literal["pad", "crop"]


@dataclass(frozen=True)
class Note:
    """Something done to the picture that the learner should know: an i18n key and its parameters."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedImage:
    image: Image.Image  # RGB, upright
    notes: tuple[Note, ...]


def _read(source: str | Path | bytes) -> bytes:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if not data:
        raise InputError("img.err.empty")
    return data


# Bytes per pixel of a decoded picture, by PIL mode: PIL keeps every multi-band picture at 4 bytes a pixel; palette
# and 1-bit pictures are turned into RGB(A) before they are scaled down (scaling a palette mixes no colours).
_DECODED_BYTES_PER_PIXEL = {"L": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
_UNSCALABLE_MODES = ("P", "PA", "1")


def decoded_bytes(image: Image.Image) -> int:
    """The memory ``image`` (opened, not yet loaded) takes once decoded, at the size it will be decoded at."""
    width, height = image.size
    return width * height * _DECODED_BYTES_PER_PIXEL.get(image.mode, 4)


# One picture at a time per slot, across every learner: decoding is where a small file becomes big.
_DECODE_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)


def open_image(source: str | Path | bytes) -> LoadedImage:
    """Any image file (path or bytes) → an upright RGB PIL image, plus notes on what was converted.

    A picture larger than ``MAX_IMAGE_SIDE`` is scaled down in its own mode right after decoding, before any
    conversion, so a 16-bit or float picture never exists at full size in more than one copy. At most
    ``MAX_CONCURRENT_DECODES`` pictures are decoded at once, whoever sent them.
    """
    data = _read(source)
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise InputError("img.err.svg")
    with _DECODE_SLOTS:
        try:
            return _decode(data)
        finally:
            _give_back_memory()


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (None elsewhere): hands freed heap memory back to the system."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _give_back_memory() -> None:
    """A big picture's decoding frees hundreds of MB in pieces glibc keeps for later; without this, a burst of
    big pictures left the server that much bigger for good (bench/picture_burst.py)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _decode(data: bytes) -> LoadedImage:
    notes: list[Note] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we check the size ourselves
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise InputError("img.err.too_big", width=width, height=height, limit=f"{MAX_IMAGE_PIXELS:,}")
            if getattr(image, "n_frames", 1) > 1:
                notes.append(Note("img.note.animated", {"frames": image.n_frames}))
                image.seek(0)
            if image.format == "JPEG" and max(width, height) > 2 * MAX_IMAGE_SIDE:
                image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))  # decode big JPEGs at reduced size
            if decoded_bytes(image) > MAX_DECODED_BYTES:
                raise InputError("img.err.too_many_bytes", width=width, height=height, mode=image.mode,
                                 size=f"{decoded_bytes(image) / 1e6:,.0f}", limit=f"{MAX_DECODED_BYTES / 1e6:,.0f}")
            image.load()
            turned = image.getexif().get(0x0112, 1)  # the EXIF orientation tag: the camera was turned
            if image.mode in _UNSCALABLE_MODES:
                image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
            if max(image.size) > MAX_IMAGE_SIDE:
                # Pillow's fast integer reduction has no 16-bit mode: those are resized in one pass
                gap = None if image.mode.startswith("I;16") else 2.0
                image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.LANCZOS, reducing_gap=gap)
                before = (width, height) if turned in (1, 2, 3, 4) else (height, width)
                after = image.size if turned in (1, 2, 3, 4) else image.size[::-1]
                notes.append(Note("img.note.downscaled", {"before": "×".join(map(str, before)),
                                                          "after": "×".join(map(str, after))}))
            if turned != 1:
                notes.insert(0, Note("img.note.rotated"))
            image = _to_rgb(ImageOps.exif_transpose(image), notes)
    except InputError:
        raise
    except Image.DecompressionBombError as err:  # so big that PIL refused to open it: its message says how big
        found = re.search(r"\((\d+) pixels\)", str(err))
        pixels = f"{int(found.group(1)):,}" if found else f"> {MAX_IMAGE_PIXELS:,}"
        raise InputError("img.err.too_big_pixels", pixels=pixels, limit=f"{MAX_IMAGE_PIXELS:,}") from None
    except Exception:  # noqa: BLE001 - whatever a damaged file makes the decoder raise, it is not a picture
        raise InputError("img.err.not_image") from None
    if min(image.size) < 8:
        notes.append(Note("img.note.tiny", {"size": "×".join(map(str, image.size))}))
    return LoadedImage(image, tuple(notes))


def _to_rgb(image: Image.Image, notes: list[Note]) -> Image.Image:
    """16-bit, float, CMYK, palette, grey and transparent pictures → 8-bit RGB, transparency on white."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        low, high = float(array.min()), float(array.max())
        scaled = np.zeros_like(array) if high == low else (array - low) / (high - low) * 255
        notes.append(Note("img.note.high_depth", {"mode": mode}))
        return Image.fromarray(scaled.round().astype(np.uint8)).convert("RGB")
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode == "CMYK":
        notes.append(Note("img.note.cmyk"))
    if image.mode in ("RGBA", "LA", "PA", "RGBa"):
        rgba = image.convert("RGBA")
        if rgba.getextrema()[3][0] < 255:
            notes.append(Note("img.note.alpha"))
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("L", "1"):
        notes.append(Note("img.note.grey"))
    return image.convert("RGB")


# --- what the network sees --------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The network's input and the picture it corresponds to, with the steps that led there."""

    tensor: Tensor  # (1, C, S, S) normalised float32
    seen: Image.Image  # S×S RGB: exactly what the network sees, before normalisation
    steps: tuple[Note, ...]
    box: tuple[int, int, int, int]  # (left, top, right, bottom) of the original inside the square (may be < 0)


def prepare(image: Image.Image, *, size: int, mean: tuple[float, ...], std: tuple[float, ...],
            resize: int | None = None, fit: Fit = "pad") -> Prepared:
    """Square the picture (pad with its border colour, or centre-crop), resize to ``size``, normalise.

    With ``resize`` (ImageNet: 256 then 224) and ``fit="crop"``, this is torchvision's preset: shorter side
    to ``resize``, centre crop ``size``. Every step is recorded for the learner.
    """
    if fit not in ("pad", "crop"):
        raise InputError("img.err.fit", fit=str(fit)[:10])
    width, height = image.size
    steps = [Note("img.step.original", {"size": f"{width}×{height}"})]
    if fit == "pad":
        side = max(width, height)
        border = np.concatenate([np.asarray(image)[[0, -1]].reshape(-1, 3),
                                 np.asarray(image)[:, [0, -1]].reshape(-1, 3)])
        colour = tuple(int(c) for c in np.median(border, axis=0))
        left, top = (side - width) // 2, (side - height) // 2
        square = Image.new("RGB", (side, side), colour)
        square.paste(image, (left, top))
        box = (left, top, left + width, top + height)
        if side != width or side != height:
            steps.append(Note("img.step.pad", {"size": f"{side}×{side}"}))
    else:
        if resize:
            scale = resize / min(width, height)
            # as torchvision's Resize: the shorter side exactly ``resize``, the longer one truncated
            image = image.resize((max(1, int(width * scale)), max(1, int(height * scale))), Image.BILINEAR)
            steps.append(Note("img.step.resize_short", {"side": resize, "size": "×".join(map(str, image.size))}))
            width, height = image.size
        side = min(width, height) if not resize else min(size, width, height)
        left, top = (width - side) // 2, (height - side) // 2
        square = image.crop((left, top, left + side, top + side))
        box = (-left, -top, width - left, height - top)
        steps.append(Note("img.step.crop", {"size": f"{side}×{side}"}))
    if square.size != (size, size):
        exact = square.size[0] % size == 0  # an integer factor: averaging each block gives back exact pixels
        square = square.resize((size, size), Image.BOX if exact else Image.BICUBIC, reducing_gap=None)
        steps.append(Note("img.step.resize", {"size": f"{size}×{size}"}))
    array = torch.from_numpy(np.asarray(square, dtype=np.float32) / 255).permute(2, 0, 1)  # (3, S, S) in [0, 1]
    tensor = (array - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    steps.append(Note("img.step.normalise", {"mean": ", ".join(f"{m:g}" for m in mean),
                                             "std": ", ".join(f"{s:g}" for s in std)}))
    return Prepared(tensor.unsqueeze(0).float(), square, tuple(steps), box)


def sketch_to_image(composite: np.ndarray | None) -> Image.Image:
    """A sketchpad drawing (dark strokes on white) → the drawing cropped to its strokes, square, with a margin,
    placed like the bundled digits (which fill most of their canvas)."""
    if composite is None:
        raise InputError("img.err.empty_sketch")
    array = np.asarray(composite)
    rgb = array[..., :3] if array.ndim == 3 else np.repeat(array[..., None], 3, axis=2)
    if array.ndim == 3 and array.shape[2] == 4:  # transparent background counts as white
        alpha = array[..., 3:4] / 255.0
        rgb = (rgb * alpha + 255 * (1 - alpha)).astype(np.uint8)
    ink = rgb.min(axis=2) < 200
    if ink.sum() < 10:
        raise InputError("img.err.empty_sketch")
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    side = int(max(bottom - top, right - left) * 1.25) + 2
    canvas = Image.new("RGB", (side, side), (255, 255, 255))
    crop = Image.fromarray(rgb[top:bottom, left:right])
    canvas.paste(crop, ((side - crop.width) // 2, (side - crop.height) // 2))
    return canvas
