"""The bundled English text for the character language models (primer §12) and the seeded windows cut from it.

The corpus is a snapshot of Python's own documentation: the topics of ``help("topics")``, the dict
``pydoc_data.topics.topics`` of the interpreter named in ``CORPUS_PYTHON``, whole topics in sorted-key order while
the total stays within ``CORPUS_MAX_CHARS``. It is stored in ``assets/data/`` (written once by
``python -m playground.data.text``) so training gives the same result under every Python version. It has prose,
code examples, quotes, brackets and indentation: the properties whose cells Karpathy et al. (2015,
"Visualizing and Understanding Recurrent Networks", arXiv:1506.02078) found in trained LSTMs.

The vocabulary is fixed by the corpus: index 0 is the unknown token, then every character of the corpus in
sorted order. Characters a learner types that are not in it (Chinese, emoji, control characters) become the
unknown token, and ``encode`` says which ones and how often, for a visible note.

    >>> vocab = corpus_vocab()
    >>> encoded = vocab.encode("print(“你好”)")
    >>> encoded.unknown                    # character -> count
    {'你': 1, '好': 1}
    >>> split = corpus_split()             # last 10 % held out, contiguous
    >>> x, y = next(batches(split.train, batch_size=2, seq_len=8, seed=0))   # (2, 8) each, y is x shifted by one
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

CORPUS_FILE = Path(__file__).resolve().parents[2] / "assets" / "data" / "python_docs_topics.txt"
CORPUS_PYTHON = "3.11.7"  # the interpreter whose pydoc_data.topics made the snapshot (assets/README.md)
CORPUS_MAX_CHARS = 400_000  # whole topics, sorted by key, while the joined text stays within this
TOPIC_SEPARATOR = "\n\n"
HELD_OUT_FRACTION = 0.1  # the last 10 % of the corpus, one contiguous piece, is never trained on
UNKNOWN = "\ufffd"  # how the unknown token (index 0) is shown: "�", the Unicode replacement character


@dataclass(frozen=True)
class Encoded:
    """A text as token ids, with the characters that were not in the vocabulary."""

    ids: Tensor  # (T,) int64; unknown characters are 0
    unknown: dict[str, int]  # each unknown character -> how many times, in order of first appearance

    @property
    def unknown_count(self) -> int:
        return sum(self.unknown.values())


@dataclass(frozen=True)
class Vocab:
    """Characters ↔ ids. ``chars[0]`` is the unknown token, ``chars[1:]`` are the known characters, sorted."""

    chars: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str) -> Vocab:
        known = sorted(set(text) - {UNKNOWN})
        return cls((UNKNOWN, *known))

    def __len__(self) -> int:
        return len(self.chars)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chars) if i > 0}

    def encode(self, text: str) -> Encoded:
        index = self.index
        unknown: dict[str, int] = {}
        ids = []
        for c in text:
            i = index.get(c, 0)
            if i == 0:
                unknown[c] = unknown.get(c, 0) + 1
            ids.append(i)
        return Encoded(torch.tensor(ids, dtype=torch.int64), unknown)

    def decode(self, ids: Tensor | list[int]) -> str:
        values = ids.tolist() if isinstance(ids, Tensor) else ids
        return "".join(self.chars[i] for i in values)


def snapshot_text(topics: dict[str, str], *, max_chars: int = CORPUS_MAX_CHARS) -> str:
    """Whole topics in sorted-key order, joined by a blank line, while the total stays within ``max_chars``."""
    parts: list[str] = []
    total = 0
    for key in sorted(topics):
        added = len(topics[key]) + (len(TOPIC_SEPARATOR) if parts else 0)
        if total + added > max_chars:
            break
        parts.append(topics[key])
        total += added
    return TOPIC_SEPARATOR.join(parts) + "\n"


@functools.lru_cache(maxsize=1)
def load_corpus() -> str:
    if not CORPUS_FILE.exists():
        raise FileNotFoundError(f"{CORPUS_FILE} is missing; write it with `python -m playground.data.text`")
    return CORPUS_FILE.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def corpus_vocab() -> Vocab:
    """The vocabulary every bundled character model uses: the unknown token, then the corpus's characters."""
    return Vocab.from_text(load_corpus())


@dataclass(frozen=True)
class Split:
    """The corpus as ids, cut once: the first 90 % to train on, the last 10 % held out."""

    train: Tensor  # (N_train,) int64
    held_out: Tensor  # (N_held_out,) int64


def split_ids(ids: Tensor, *, held_out_fraction: float = HELD_OUT_FRACTION) -> Split:
    cut = len(ids) - int(round(len(ids) * held_out_fraction))
    return Split(ids[:cut], ids[cut:])


@functools.lru_cache(maxsize=1)
def corpus_split() -> Split:
    return split_ids(corpus_vocab().encode(load_corpus()).ids)


def batches(ids: Tensor, *, batch_size: int, seq_len: int, seed: int) -> Iterator[tuple[Tensor, Tensor]]:
    """Endless (x, y) pairs of ``batch_size`` random windows: x = ids[s : s+T], y = ids[s+1 : s+T+1], each (B, T).

    The window starts come from ``torch.Generator().manual_seed(seed)``: the same seed, the same batches.
    """
    if len(ids) < seq_len + 1:
        raise ValueError(f"a window of {seq_len} + 1 characters does not fit in {len(ids)} ids")
    generator = torch.Generator().manual_seed(seed)
    offsets = torch.arange(seq_len + 1)  # (T+1,)
    while True:
        starts = torch.randint(0, len(ids) - seq_len, (batch_size,), generator=generator)  # (B,)
        windows = ids[starts[:, None] + offsets]  # (B, T+1)
        yield windows[:, :-1], windows[:, 1:]


def _write_snapshot() -> None:
    from pydoc_data.topics import topics

    text = snapshot_text(topics)
    CORPUS_FILE.write_bytes(text.encode("utf-8"))  # "\n" line ends on every system
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"wrote {CORPUS_FILE} ({len(text):,} characters, {len(Vocab.from_text(text))} tokens) from Python {version}")


if __name__ == "__main__":
    _write_snapshot()
