"""Files the app hands to the browser: downloads, drawings and gallery pictures, all inside Gradio's cache.

A file written anywhere else is copied into the cache by Gradio and the original is never deleted (a long-running
Space would fill its disk: the MLP tab writes a points CSV on every settings change). Written here, in the cache
itself, Gradio serves the file without a copy and the app's ``delete_cache`` removes it when it is old, and all of
them when the server stops. Files are named by the hash of their bytes, as Gradio names its own, so the same bytes
are written once.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from gradio.utils import get_upload_folder
from PIL import Image


def cache_file(data: bytes, name: str) -> str:
    """``data`` as a file called ``name`` (the name the learner's download gets) in Gradio's cache; its path."""
    path = Path(get_upload_folder()) / hashlib.sha256(data).hexdigest() / Path(name).name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{os.getpid()}-{id(data)}{path.suffix}")
        staging.write_bytes(data)
        os.replace(staging, path)  # a reader never sees half a file
    return str(path)


def png_file(picture: Image.Image, name: str) -> str:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return cache_file(buffer.getvalue(), name)


def jpeg_gallery(items: Iterable[tuple[np.ndarray, str]]) -> list[tuple[str, str]]:
    """(RGB uint8 picture, caption) pairs → (JPEG file in Gradio's cache, caption), for a ``gr.Gallery``.

    Given arrays, ``gr.Gallery`` encodes each picture on a thread pool; on the 2-core machine that took 50 ms for
    ResNet-18's 68 layer tiles, against 18 ms encoded one after another here (bench/feature_maps.py).
    """
    files = []
    for picture, caption in items:
        buffer = io.BytesIO()
        Image.fromarray(picture).save(buffer, format="JPEG")
        files.append((cache_file(buffer.getvalue(), "layer.jpeg"), caption))
    return files
