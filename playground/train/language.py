"""Train the three character language models (primer §12): ``python -m playground.train rnn gru lstm``.

Same data, sizes, steps and optimiser for the three; only the cell differs. Batches of 32 windows of 100
characters from the training part of the bundled corpus (assets/data/python_docs_topics.txt), Adam with cosine
decay, gradient norm clipped at 1 (exploding gradients, primer §7), the LSTM's forget-gate bias started at 1
(Jozefowicz et al., 2015: remember by default). The manifest records held-out bits per character next to the
unigram baseline.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from playground import zoo
from playground.data.text import CORPUS_FILE, HELD_OUT_FRACTION, batches, corpus_split, corpus_vocab
from playground.train.bundled import save_bundled, write_manifest_record
from playground.train.loop import train_step
from playground.train.metrics import held_out_bits_per_char, unigram_bits_per_char

LANGUAGE_MODELS = ("rnn", "gru", "lstm")


@dataclass(frozen=True)
class LanguageRecipe:
    steps: int = 2500
    batch_size: int = 32
    seq_len: int = 100
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0
    forget_bias: float = 1.0  # LSTM only


RECIPE = LanguageRecipe()
DATA_NOTE = (f"{CORPUS_FILE.name}: Python's documentation topics (pydoc_data.topics), a UTF-8 snapshot; "
             "characters, with index 0 the unknown token")
SPLIT_NOTE = f"contiguous: the last {HELD_OUT_FRACTION:.0%} of the text is held out"


def _forget_bias(model: torch.nn.Module, value: float) -> None:
    """nn.LSTM orders its gates input, forget, cell, output: set the forget slice of both biases."""
    for layer in model.layers:
        hidden = layer.hidden_size
        with torch.no_grad():
            for bias in (layer.bias_ih_l0, layer.bias_hh_l0):
                bias[hidden : 2 * hidden] = value / 2  # the two biases add up


def train_language_model(name: str, *, steps: int | None = None, out_dir: Path = zoo.PRETRAINED,
                         on_report: Callable[[int, float], None] | None = None) -> dict[str, Any]:
    recipe = RECIPE if steps is None else LanguageRecipe(**{**asdict(RECIPE), "steps": steps})
    entry = zoo.get_entry(name)
    split, vocab = corpus_split(), corpus_vocab()
    torch.manual_seed(recipe.seed)
    model = entry.build()
    if model.kind == "lstm":
        _forget_bias(model, recipe.forget_bias)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, recipe.steps)
    start = time.perf_counter()
    for step, (x, y) in zip(range(1, recipe.steps + 1), batches(split.train, batch_size=recipe.batch_size,
                                                                 seq_len=recipe.seq_len, seed=recipe.seed)):
        loss = F.cross_entropy(model(x).reshape(-1, len(vocab)), y.reshape(-1))
        train_step(model, optimizer, loss, clip=recipe.clip, schedule=schedule)
        if on_report is not None and (step % 250 == 0 or step == recipe.steps):
            on_report(step, loss.item() / math.log(2))
    seconds = time.perf_counter() - start
    model = model.cpu().eval()
    held_out = held_out_bits_per_char(model)
    record = save_bundled(entry, model, out_dir=out_dir, data=DATA_NOTE, split=SPLIT_NOTE,
                          metrics={"held_out_bits_per_char": round(held_out, 4),
                                   "unigram_bits_per_char": round(unigram_bits_per_char(), 4)},
                          recipe=asdict(recipe), seconds=seconds, curve=[])
    record.update(classes=list(vocab.chars), input=None)
    write_manifest_record(entry.name, record, manifest_path=out_dir / zoo.MANIFEST.name)
    return record
