"""Hostile and unusual image files, made on the fly (nothing binary is committed): name → (bytes, expectation).

Expectation is either ("error", i18n key) or ("ok", note key or None): what ``open_image`` must do.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def _png(image: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **kwargs)
    return out.getvalue()


def _jpeg(image: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", **kwargs)
    return out.getvalue()


def _bomb_png(width: int = 20_000, height: int = 20_000, colour_type: int = 2) -> bytes:
    """A valid PNG header that claims width × height pixels (8-bit RGB, or RGBA for colour type 6); the (tiny)
    data would decompress to gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) \
        + chunk(b"IEND", b"")


def _gradient(width: int, height: int) -> np.ndarray:
    x = np.linspace(0, 255, width, dtype=np.float64)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float64)[:, None].repeat(width, 1)
    return np.stack([x, y, 255 - x], axis=2).astype(np.uint8)


def _exif_rotated() -> bytes:
    image = Image.fromarray(_gradient(200, 100))  # stored landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": shown portrait, 100 × 200
    return _jpeg(image, exif=exif)


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def _palette_with_transparency() -> bytes:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    image.paste(1, (10, 10, 30, 30))
    return _png(image, transparency=0)


def corpus() -> dict[str, tuple[bytes, tuple[str, str | None]]]:
    rgb = Image.fromarray(_gradient(64, 48))
    return {
        "corrupt.png": (b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, ("error", "img.err.not_image")),
        "empty.png": (b"", ("error", "img.err.empty")),
        "text-renamed.png": (b"just some text, not an image\n" * 5, ("error", "img.err.not_image")),
        "drawing.svg": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                        ("error", "img.err.svg")),
        "bomb.png": (_bomb_png(), ("error", "img.err.too_big_pixels")),  # 400 megapixels: Pillow itself refuses it
        # 64 megapixels: over the app's limit (limits.MAX_IMAGE_PIXELS), under Pillow's, so only our check refuses it
        "bomb-64-megapixels.png": (_bomb_png(8_000, 8_000), ("error", "img.err.too_big")),
        # 49 megapixels, under the pixel limit, but 196 MB once decoded as RGBA (limits.MAX_DECODED_BYTES)
        "rgba-7000-bomb.png": (_bomb_png(7_000, 7_000, colour_type=6), ("error", "img.err.too_many_bytes")),
        "truncated.jpg": (_jpeg(rgb)[:200], ("error", "img.err.not_image")),
        "one-pixel.png": (_png(Image.new("RGB", (1, 1), (200, 10, 10))), ("ok", "img.note.tiny")),
        "sixteen-bit.png": (_png(Image.fromarray((np.arange(64 * 64, dtype=np.uint16) * 16).reshape(64, 64))),
                            ("ok", "img.note.high_depth")),
        "cmyk.jpg": (_jpeg(rgb.convert("CMYK")), ("ok", "img.note.cmyk")),
        "palette-transparent.png": (_palette_with_transparency(), ("ok", "img.note.alpha")),
        "rgba.png": (_png(Image.fromarray(np.dstack([_gradient(32, 32), np.full((32, 32), 100, np.uint8)]))),
                     ("ok", "img.note.alpha")),
        "grey.png": (_png(rgb.convert("L")), ("ok", "img.note.grey")),
        "animated.gif": (_animated_gif(), ("ok", "img.note.animated")),
        "exif-rotated.jpg": (_exif_rotated(), ("ok", "img.note.rotated")),
        "large.jpg": (_jpeg(Image.fromarray(_gradient(3000, 2000))), ("ok", "img.note.downscaled")),
        "plain.png": (_png(rgb), ("ok", None)),
    }
