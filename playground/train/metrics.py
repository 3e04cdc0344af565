"""The numbers a manifest records about a bundled network, shared by the recipes that record them and the lessons
that show them: bits per character for the character models (primer §12), mean IoU for the FCN (primer §11).

    >>> from playground import zoo
    >>> held_out_bits_per_char(zoo.load_bundled("lstm"))   # the manifest's "held_out_bits_per_char"
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.data.scenes import VOID
from playground.data.text import Vocab, corpus_split, corpus_vocab
from playground.errors import InputError
from playground.models.recurrent import CharLM
from playground.runtime import device_of

# --- bits per character ---------------------------------------------------------------------------------


@torch.no_grad()
def bits_per_char(model: CharLM, data: str | Tensor, *, vocab: Vocab | None = None, chunk: int = 2048) -> float:
    """Average −log₂ p(next character) over ``data`` (a string or (N,) ids), read as one stream with carried state.

    Every character but the first is predicted from all the characters before it; the chunks only bound memory.
    """
    vocab = vocab or corpus_vocab()
    if len(vocab) != model.vocab_size:
        raise ValueError(f"the model reads {model.vocab_size} tokens but the vocabulary has {len(vocab)}")
    ids = vocab.encode(data).ids if isinstance(data, str) else data.flatten()
    if len(ids) < 2:
        raise ValueError("bits per character needs at least two characters")
    ids = ids.to(device_of(model))
    nats, states = 0.0, None
    for begin in range(0, len(ids) - 1, chunk):
        x = ids[begin:begin + chunk]  # (C,)
        y = ids[begin + 1:begin + chunk + 1]  # (C,) or one shorter at the end
        out = model.run(x[:len(y)][None], states)
        nats += float(F.cross_entropy(out.logits[0].double(), y, reduction="sum"))
        states = out.states
    return nats / (len(ids) - 1) / math.log(2)


def held_out_bits_per_char(model: CharLM) -> float:
    """``bits_per_char`` on the corpus's held-out 10 % (the number a manifest records)."""
    return bits_per_char(model, corpus_split().held_out)


def unigram_bits_per_char(train: Tensor | None = None, held_out: Tensor | None = None,
                          vocab_size: int | None = None) -> float:
    """The baseline a model must beat: character frequencies of the training split (add-one smoothed), no context.

    Scored on the same characters as ``bits_per_char`` (all but the first of the held-out split).
    """
    if train is None or held_out is None:
        split = corpus_split()
        train = split.train if train is None else train
        held_out = split.held_out if held_out is None else held_out
    vocab_size = vocab_size or len(corpus_vocab())
    counts = torch.bincount(train, minlength=vocab_size).double() + 1  # (V,) Laplace: nothing has probability 0
    log2p = torch.log2(counts / counts.sum())
    return float(-log2p[held_out[1:]].mean())


# --- mean IoU -------------------------------------------------------------------------------------------


def mean_iou(predicted: Tensor, target: Tensor, num_classes: int, *, ignore: int = VOID) -> tuple[float, float, Tensor]:
    """(mean IoU over the classes present in the target or the prediction, pixel accuracy, IoU per class with
    NaN for absent classes); pixels whose target is ``ignore`` do not count.

    Pascal VOC's metric: one confusion matrix summed over all pixels of all pictures, then IoU per class.
    """
    valid = target != ignore
    t, p = target[valid].long(), predicted[valid].long()
    if t.numel() == 0:
        raise InputError("seg.err.no_pixels")
    confusion = torch.bincount(t * num_classes + p, minlength=num_classes ** 2).view(num_classes, num_classes)
    confusion = confusion.double()
    intersection = confusion.diag()
    union = confusion.sum(0) + confusion.sum(1) - intersection
    iou = torch.where(union > 0, intersection / union.clamp_min(1), torch.full_like(union, float("nan")))
    return float(iou.nanmean()), float(intersection.sum() / confusion.sum()), iou
