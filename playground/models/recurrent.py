"""Recurrent networks, primer §12: the RNN, GRU and LSTM cells written out, and a character language model.

* RNN (Elman, 1990, "Finding Structure in Time"): Hₜ = φ(XₜW_xh + Hₜ₋₁W_hh + b).
* GRU (Cho et al., 2014, "Learning Phrase Representations using RNN Encoder–Decoder", arXiv:1406.1078).
* LSTM (Hochreiter & Schmidhuber, 1997, "Long Short-Term Memory"; the forget gate of Gers et al., 2000).

The scratch cells store their weights exactly as ``nn.RNNCell``/``nn.GRUCell``/``nn.LSTMCell`` do
(``weight_ih`` (G·H, I), ``weight_hh`` (G·H, H), ``bias_ih``, ``bias_hh``, the G gate blocks stacked in PyTorch's
order), so the primer's W_xh is ``weight_ih.T`` and weights copy over without any reshuffling. Each step returns
its gates as a named tuple, so a lesson can show them.

``CharLM`` runs one ``nn.RNN``/``nn.GRU``/``nn.LSTM`` per layer (the fast path: PyTorch's fused loops), which
keeps every layer's outputs at hand; ``CharLM.cell(layer)`` gives the scratch cell of that layer, sharing its
weights, and ``CharLM.forward_scratch`` runs the whole model through the scratch cells.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor, nn

KINDS = ("rnn", "gru", "lstm")


class RNNStep(NamedTuple):
    h: Tensor  # (B, H)


class GRUStep(NamedTuple):
    h: Tensor  # (B, H) new hidden state
    r: Tensor  # (B, H) reset gate
    z: Tensor  # (B, H) update gate
    n: Tensor  # (B, H) candidate hidden state H̃ₜ


class LSTMStep(NamedTuple):
    h: Tensor  # (B, H) hidden state Hₜ = Oₜ ⊙ tanh(Cₜ)
    c: Tensor  # (B, H) memory cell Cₜ
    i: Tensor  # (B, H) input gate
    f: Tensor  # (B, H) forget gate
    g: Tensor  # (B, H) candidate memory C̃ₜ
    o: Tensor  # (B, H) output gate


class _Cell(nn.Module):
    """Weights stored as PyTorch's cells store them: ``gates`` blocks of H rows stacked, uniform(±1/√H) init."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        bound = 1 / math.sqrt(hidden_size)
        g = self.gates * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(g, input_size).uniform_(-bound, bound))  # (G·H, I)
        self.weight_hh = nn.Parameter(torch.empty(g, hidden_size).uniform_(-bound, bound))  # (G·H, H)
        self.bias_ih = nn.Parameter(torch.empty(g).uniform_(-bound, bound))  # (G·H,)
        self.bias_hh = nn.Parameter(torch.empty(g).uniform_(-bound, bound))  # (G·H,)

    def zero_state(self, batch: int) -> Tensor:
        return self.weight_hh.new_zeros(batch, self.hidden_size)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class RNNCell(_Cell):
    """One step of the primer's RNN: Hₜ = tanh(XₜW_xh + Hₜ₋₁W_hh + b), with b = ``bias_ih + bias_hh``.

    Equals ``nn.RNNCell`` (φ = tanh).
    """

    gates = 1

    def forward(self, x: Tensor, h: Tensor | None = None) -> RNNStep:  # x (B, I), h (B, H)
        if h is None:
            h = self.zero_state(x.shape[0])
        return RNNStep(torch.tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh))


class GRUCell(_Cell):
    """One step of the GRU, with PyTorch's (and cuDNN's) candidate. Equals ``nn.GRUCell``.

    Rₜ = σ(XₜW_xr + Hₜ₋₁W_hr + b_r)                 reset gate
    Zₜ = σ(XₜW_xz + Hₜ₋₁W_hz + b_z)                 update gate
    H̃ₜ = tanh(XₜW_xh + Rₜ ⊙ (Hₜ₋₁W_hh + b_hh) + b_xh)   candidate
    Hₜ = Zₜ ⊙ Hₜ₋₁ + (1 − Zₜ) ⊙ H̃ₜ

    d2l and the primer's figure reset before the product, (Rₜ ⊙ Hₜ₋₁)W_hh; PyTorch resets after it, as written
    here. Both let Rₜ → 0 forget the past; the weights of one do not fit the other.
    """

    gates = 3  # r, z, n blocks, in PyTorch's order

    def forward(self, x: Tensor, h: Tensor | None = None) -> GRUStep:  # x (B, I), h (B, H)
        if h is None:
            h = self.zero_state(x.shape[0])
        x_r, x_z, x_n = (x @ self.weight_ih.T + self.bias_ih).chunk(3, dim=1)  # each (B, H)
        h_r, h_z, h_n = (h @ self.weight_hh.T + self.bias_hh).chunk(3, dim=1)  # each (B, H)
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        return GRUStep(z * h + (1 - z) * n, r, z, n)


class LSTMCell(_Cell):
    """One step of the LSTM. Equals ``nn.LSTMCell``.

    Iₜ = σ(XₜW_xi + Hₜ₋₁W_hi + b_i)     input gate
    Fₜ = σ(XₜW_xf + Hₜ₋₁W_hf + b_f)     forget gate
    C̃ₜ = tanh(XₜW_xc + Hₜ₋₁W_hc + b_c)  candidate memory (PyTorch calls it g)
    Oₜ = σ(XₜW_xo + Hₜ₋₁W_ho + b_o)     output gate
    Cₜ = Fₜ ⊙ Cₜ₋₁ + Iₜ ⊙ C̃ₜ             memory cell
    Hₜ = Oₜ ⊙ tanh(Cₜ)
    """

    gates = 4  # i, f, g, o blocks, in PyTorch's order

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor] | None = None) -> LSTMStep:  # x (B, I)
        if state is None:
            state = (self.zero_state(x.shape[0]), self.zero_state(x.shape[0]))
        h, c = state  # each (B, H)
        pre = x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh  # (B, 4H)
        x_i, x_f, x_g, x_o = pre.chunk(4, dim=1)  # each (B, H)
        i, f, g, o = torch.sigmoid(x_i), torch.sigmoid(x_f), torch.tanh(x_g), torch.sigmoid(x_o)
        c = f * c + i * g
        return LSTMStep(o * torch.tanh(c), c, i, f, g, o)


CELLS: dict[str, type[_Cell]] = {"rnn": RNNCell, "gru": GRUCell, "lstm": LSTMCell}
STEPS = {"rnn": RNNStep, "gru": GRUStep, "lstm": LSTMStep}
_TORCH_LAYERS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def scan(cell: _Cell, x: Tensor, state: Tensor | tuple[Tensor, Tensor] | None = None) -> tuple:
    """Run a scratch cell over a sequence one step at a time: x (B, T, I) → its step tuple, each field (B, T, H)."""
    steps = []
    for t in range(x.shape[1]):
        step = cell(x[:, t], state)
        state = (step.h, step.c) if isinstance(step, LSTMStep) else step.h
        steps.append(step)
    return type(steps[0])(*(torch.stack(field, dim=1) for field in zip(*steps)))


class CharLMOutput(NamedTuple):
    logits: Tensor  # (B, T, V) scores of the next character at every position
    outputs: list[Tensor]  # per layer, the hidden states Hₜ, each (B, T, H)
    states: list  # per layer, the final state: h (1, B, H), or (h, c) for the LSTM, to continue from


class CharLM(nn.Module):
    """A character language model (Karpathy's char-rnn): embedding → ``layers`` recurrent layers → linear.

    ``kind`` is "rnn", "gru" or "lstm"; the three share every size, so they differ only in the cell. Layer
    ``k`` is ``self.layers[k]``, a single-layer ``nn.RNN``/``nn.GRU``/``nn.LSTM`` (batch first) whose
    ``weight_ih_l0``… are the scratch cell's ``weight_ih``…
    """

    def __init__(self, kind: str, vocab_size: int, embed: int = 32, hidden: int = 256, layers: int = 2):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        self.model_args = {"kind": kind, "vocab_size": vocab_size, "embed": embed, "hidden": hidden, "layers": layers}
        self.kind = kind
        self.vocab_size, self.embed_size, self.hidden_size, self.num_layers = vocab_size, embed, hidden, layers
        self.embedding = nn.Embedding(vocab_size, embed)  # ids (B, T) -> (B, T, E)
        self.layers = nn.ModuleList(
            _TORCH_LAYERS[kind](embed if k == 0 else hidden, hidden, batch_first=True)  # (B, T, ·) -> (B, T, H)
            for k in range(layers))
        self.head = nn.Linear(hidden, vocab_size)  # (B, T, H) -> (B, T, V)

    def run(self, ids: Tensor, states: list | None = None) -> CharLMOutput:
        """The fast path, keeping every layer's outputs: ids (B, T) int64 → ``CharLMOutput``."""
        x = self.embedding(ids)  # (B, T, E)
        outputs, finals = [], []
        for k, layer in enumerate(self.layers):
            x, final = layer(x, None if states is None else states[k])  # x (B, T, H)
            outputs.append(x)
            finals.append(final)
        return CharLMOutput(self.head(x), outputs, finals)

    def forward(self, ids: Tensor) -> Tensor:  # ids (B, T) -> logits (B, T, V)
        return self.run(ids).logits

    def cell(self, layer: int) -> _Cell:
        """The scratch cell of layer ``layer``, sharing (not copying) that layer's parameters."""
        module = self.layers[layer]
        cell = CELLS[self.kind](module.input_size, self.hidden_size)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            setattr(cell, name, getattr(module, f"{name}_l0"))
        return cell

    def forward_scratch(self, ids: Tensor) -> CharLMOutput:
        """The same network through the scratch cells, one step at a time (slow; for checking and reading).

        ``outputs`` holds each layer's full step tuple (h, and the gates), each field (B, T, H).
        """
        x = self.embedding(ids)  # (B, T, E)
        outputs, finals = [], []
        for k in range(self.num_layers):
            steps = scan(self.cell(k), x)
            x = steps.h  # (B, T, H)
            outputs.append(steps)
            last_h = steps.h[:, -1][None]  # (1, B, H)
            finals.append((last_h, steps.c[:, -1][None]) if self.kind == "lstm" else last_h)
        return CharLMOutput(self.head(x), outputs, finals)
