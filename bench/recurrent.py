"""Recurrent-network trace view: ``lessons.recurrent.trace`` against one bare call of the same fused layers.

The issue's measurement (2 layers, hidden 256, 200 characters, CPU): one ``nn.LSTM`` call ≈ 10 ms, a Python
``LSTMCell`` loop that keeps every h and c ≈ 4.5×. The trace runs the fused layers once and recomputes every gate of
every step from Xₜ and Hₜ₋₁ with one matrix product per layer (plus an elementwise scan for the LSTM's Cₜ);
goal ≤ 2× for the whole trace (gates, memory cells, top-5 predictions).
Random weights: the cost does not depend on them.
"""

from __future__ import annotations

import torch

from bench._util import Row, median_time
from playground.data.text import corpus_vocab, load_corpus
from playground.lessons import recurrent as lesson
from playground.models import CharLM

TEXT_CHARS = 200


def _text() -> str:
    corpus = load_corpus()  # 200 characters from the held-out end: what a learner might paste
    return corpus[len(corpus) - 5_000:][:TEXT_CHARS]


def _model_rows(kind: str, ids: torch.Tensor, text: str) -> list[Row]:
    """One recurrent cell's rows: its trace, the scratch cell loop and gradient flow against one bare call."""
    torch.manual_seed(0)
    model = CharLM(kind, len(corpus_vocab()), embed=32, hidden=256, layers=2).eval()

    def bare():
        with torch.no_grad():
            x = model.embedding(ids)
            for layer in model.layers:
                x, _ = layer(x)

    def scratch():
        with torch.no_grad():
            model.forward_scratch(ids)

    floor_s = median_time(bare)
    floor = f"bare nn.{kind.upper()} ×2 layers ({floor_s * 1e3:.1f} ms)"
    trace_s = median_time(lambda: lesson.trace(model, text))
    scratch_s = median_time(scratch, repeats=3)
    flow_s = median_time(lambda: lesson.gradient_flow(model, text), repeats=3)
    return [Row(f"{kind.upper()} 2×256, {TEXT_CHARS} chars: trace()", trace_s, floor_s, floor, "≤ 2×"),
            Row(f"{kind.upper()}: scratch cell loop (for reference)", scratch_s, floor_s, floor),
            Row(f"{kind.upper()}: gradient_flow()", flow_s, floor_s, floor)]


def run() -> list[Row]:
    text = _text()
    ids = corpus_vocab().encode(text).ids[None]  # (1, T)
    return [row for kind in ("lstm", "gru", "rnn") for row in _model_rows(kind, ids, text)]
