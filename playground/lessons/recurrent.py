"""Primer §12 on the learner's own text: what an RNN, a GRU and an LSTM carry from character to character.

``trace(model, text)`` runs PyTorch's fused layers once, which gives every layer's hidden states Hₜ. Each gate
at step t depends only on Xₜ and Hₜ₋₁, both now known, so every gate of every step comes from one matrix product
per layer; only the LSTM's memory cell needs a loop, and that one is elementwise: Cₜ = Fₜ ⊙ Cₜ₋₁ + Iₜ ⊙ C̃ₜ.
``tests/unit/test_recurrent.py`` checks this against the scratch cells of ``playground/models/recurrent.py``
stepped one character at a time.

The other views build on a trace (``unit_finder``, ``gate_saturation``) or on the model (``gradient_flow``:
‖∂L/∂Hₜ‖ back from the last character, the vanishing gradient of primer §7/§12; ``sample``). Bits per character
is ``train.metrics.bits_per_char``.
None of them changes the model's mode or weights: a cached model is shared by every learner. One topic (what a
recurrent network carries along a text), hence longer than most modules; the tab's views are in recurrent_views.

    >>> from playground.data.text import corpus_vocab
    >>> from playground.models import CharLM
    >>> model = CharLM("lstm", len(corpus_vocab()))
    >>> result = trace(model, 'print("hello")')
    >>> result.layers[0].h.shape, sorted(result.layers[0].gates)
    (torch.Size([14, 256]), ['c', 'f', 'g', 'i', 'o'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.data.text import Encoded, Vocab, corpus_vocab
from playground.errors import InputError
from playground.inputs import as_whole, in_range
from playground.limits import (
    MAX_GRADIENT_FLOW_CHARS,
    MAX_RNN_TEXT_CHARS,
    MAX_SAMPLE_CHARS,
    MAX_SEED,
    MAX_TEMPERATURE,
    MAX_TOP_K,
    MIN_TEMPERATURE,
)
from playground.models.recurrent import CharLM, LSTMStep
from playground.runtime import device_of

# What a trace keeps for each layer besides Hₜ, and which of those are sigmoid gates (values in (0, 1)).
GATES = {"rnn": (), "gru": ("r", "z", "n"), "lstm": ("c", "i", "f", "g", "o")}
SIGMOID_GATES = {"rnn": (), "gru": ("r", "z"), "lstm": ("i", "f", "o")}
SATURATED_LOW = 0.1  # a gate below this is (nearly) closed...
SATURATED_HIGH = 0.9  # ...and above this (nearly) open
PROPERTIES = ("inside_quotes", "inside_brackets", "bracket_depth", "position_in_line", "after_space")


def states(kind: str) -> tuple[str, ...]:
    """What can be shown of a model's layer: the hidden state, then its gates and memory."""
    return ("h", *GATES[kind])


# --- the learner's text ----------------------------------------------------------------------------


def read_text(text: str | None, vocab: Vocab | None = None, *, limit: int = MAX_RNN_TEXT_CHARS) -> Encoded:
    """The text as ids; unknown characters become the unknown token (reported, not refused)."""
    if not text:
        raise InputError("rnn.err.empty")
    if len(text) > limit:
        raise InputError("rnn.err.too_long", count=len(text), limit=limit)
    encoded = (vocab or corpus_vocab()).encode(text)
    if encoded.unknown_count == len(text):
        raise InputError("rnn.err.all_unknown", count=len(text))
    return encoded


def _vocab(model: CharLM, vocab: Vocab | None) -> Vocab:
    vocab = vocab or corpus_vocab()
    if len(vocab) != model.vocab_size:
        raise ValueError(f"the model reads {model.vocab_size} tokens but the vocabulary has {len(vocab)}")
    return vocab


def _temperature(value: object) -> float:
    return in_range(value, MIN_TEMPERATURE, MAX_TEMPERATURE, "rnn.temperature")


# --- the trace: every state and gate at every character --------------------------------------------


@dataclass(frozen=True)
class LayerTrace:
    """One layer over the text: Hₜ and the gates, each (T, H), on the CPU."""

    h: Tensor
    gates: dict[str, Tensor]  # GATES[kind]: LSTM c, i, f, g, o; GRU r, z, n; RNN none


@dataclass(frozen=True)
class Trace:
    """Everything the model computed while reading the text, character by character."""

    kind: str
    text: str
    chars: tuple[str, ...]  # what the model read at each position ("�" for an unknown character)
    ids: Tensor  # (T,) int64
    unknown: dict[str, int]  # unknown character -> count (see viz.recurrent.unknown_note)
    layers: tuple[LayerTrace, ...]
    temperature: float
    top_ids: Tensor  # (T, k) the k likeliest next characters after each position...
    top_probs: Tensor  # (T, k) ...their probabilities under softmax(logits / temperature), float64
    top_chars: tuple[tuple[str, ...], ...]  # (T, k) as characters
    next_prob: Tensor  # (T-1,) the probability given to the character that actually came next


def _gates(kind: str, layer: torch.nn.RNNBase, x: Tensor, h: Tensor) -> dict[str, Tensor]:
    """Every gate of every step at once from the layer's inputs x (T, I) and its outputs h (T, H)."""
    if kind == "rnn":
        return {}  # Hₜ is all there is
    h_prev = torch.cat([h.new_zeros(1, h.shape[1]), h[:-1]])  # (T, H): Hₜ₋₁, zero before the first character
    pre_x = torch.addmm(layer.bias_ih_l0, x, layer.weight_ih_l0.T)  # (T, G·H): XₜW_x· + b for all t at once
    if kind == "gru":
        pre_h = torch.addmm(layer.bias_hh_l0, h_prev, layer.weight_hh_l0.T)  # (T, G·H): Hₜ₋₁W_h· + b
        x_r, x_z, x_n = pre_x.chunk(3, dim=1)
        h_r, h_z, h_n = pre_h.chunk(3, dim=1)
        r = torch.sigmoid(x_r + h_r)
        return {"r": r, "z": torch.sigmoid(x_z + h_z), "n": torch.tanh(x_n + r * h_n)}
    # LSTM: (T, 4H) = XₜW_x· + Hₜ₋₁W_h· + b, the second product added in the same call
    x_i, x_f, x_g, x_o = torch.addmm(pre_x + layer.bias_hh_l0, h_prev, layer.weight_hh_l0.T).chunk(4, dim=1)
    return {"i": torch.sigmoid(x_i), "f": torch.sigmoid(x_f), "g": torch.tanh(x_g), "o": torch.sigmoid(x_o)}


def _memory_scan(f: Tensor, ig: Tensor) -> Tensor:
    """Cₜ = Fₜ ⊙ Cₜ₋₁ + Iₜ ⊙ C̃ₜ from C₋₁ = 0; f and ig (T, L, H) for all layers at once → (T, L, H)."""
    c = torch.zeros_like(f[0])  # (L, H)
    cells = []
    for f_t, ig_t in zip(f.unbind(0), ig.unbind(0)):
        c = torch.addcmul(ig_t, f_t, c)
        cells.append(c)
    return torch.stack(cells)


@torch.no_grad()
def trace(model: CharLM, text: str, *, vocab: Vocab | None = None, k: int = 5,
          temperature: float = 1.0) -> Trace:
    """The hidden states, gates and next-character predictions of every layer at every character of ``text``."""
    vocab = _vocab(model, vocab)
    encoded = read_text(text, vocab)
    temperature = _temperature(temperature)
    k = min(as_whole(k, 1, MAX_TOP_K, "rnn.top_k"), len(vocab))
    ids = encoded.ids.to(device_of(model))[None]  # (1, T)
    out = model.run(ids)  # the fused layers, once
    inputs = [model.embedding(ids), *out.outputs[:-1]]  # what each layer read, (1, T, I)
    hs = [h[0] for h in out.outputs]  # (T, H) per layer
    gates = [_gates(model.kind, layer, x[0], h) for layer, x, h in zip(model.layers, inputs, hs)]
    if model.kind == "lstm":
        f = torch.stack([g["f"] for g in gates], dim=1)  # (T, L, H)
        ig = torch.stack([g["i"] * g["g"] for g in gates], dim=1)  # (T, L, H)
        cells = _memory_scan(f, ig)
        gates = [{"c": cells[:, index], **g} for index, g in enumerate(gates)]
    layers = tuple(LayerTrace(h.cpu(), {name: g[name].cpu() for name in GATES[model.kind]})
                   for h, g in zip(hs, gates))
    probs = torch.softmax(out.logits[0].double() / temperature, dim=-1).cpu()  # (T, V); softmax subtracts the max
    top_probs, top_ids = probs.topk(k, dim=-1)  # (T, k)
    ids_cpu = encoded.ids
    next_prob = probs[:-1].gather(1, ids_cpu[1:, None])[:, 0]  # (T-1,)
    return Trace(model.kind, text, tuple(vocab.chars[i] for i in ids_cpu.tolist()), ids_cpu, encoded.unknown,
                 layers, temperature, top_ids, top_probs,
                 tuple(tuple(vocab.chars[i] for i in row) for row in top_ids.tolist()), next_prob)


# --- interpretable units -------------------------------------------------------------------------------


def text_properties(text: str) -> dict[str, Tensor]:
    """Simple properties of the text after each character (T,) float64, the ones Karpathy et al. found cells for.

    inside_quotes: inside "…" (a straight quote toggles) or “…”; inside_brackets: bracket_depth > 0, where
    bracket_depth counts open ( [ { minus closed ones (never below 0); position_in_line: characters read since
    the last line break (0 right after it); after_space: the character just read is a space.
    """
    quoted, depth, column = False, 0, 0
    rows = []
    for c in text:
        if c == '"':
            quoted = not quoted
        elif c in "“”":
            quoted = c == "“"
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        column = 0 if c == "\n" else column + 1
        rows.append((float(quoted), float(depth > 0), float(depth), float(column), float(c == " ")))
    values = torch.tensor(rows, dtype=torch.float64).reshape(len(text), len(PROPERTIES))  # (T, P)
    return {name: values[:, j] for j, name in enumerate(PROPERTIES)}


def pearson(units: Tensor, target: Tensor) -> Tensor:
    """Pearson correlation of each column of units (T, N) with target (T,), NaN where either is constant."""
    units, target = units.double(), target.double()
    uc = units - units.mean(0)  # (T, N)
    tc = target - target.mean()  # (T,)
    den = torch.sqrt((uc * uc).sum(0) * (tc * tc).sum())  # (N,)
    varies = (units.amax(0) > units.amin(0)) & bool(target.amax() > target.amin()) & (den > 0)
    return torch.where(varies, (tc @ uc) / torch.where(varies, den, torch.ones_like(den)),
                       torch.full_like(den, math.nan))


@dataclass(frozen=True)
class Unit:
    property: str
    layer: int
    unit: int
    r: float  # Pearson correlation of the unit with the property (the sign says which way it follows it)


@dataclass(frozen=True)
class UnitFinder:
    """The units that follow each property of the text best, by |r| over all layers."""

    state: str  # "h", or a gate name such as "c"
    properties: dict[str, Tensor]  # name -> (T,) the property along the text
    best: dict[str, tuple[Unit, ...]]  # name -> the best units, best first; empty when the property is constant
    constant: tuple[str, ...]  # properties that do not change in this text (see "rnn.prop.constant")


def unit_finder(result: Trace, text: str | None = None, *, state: str = "h", top: int = 5) -> UnitFinder:
    """Rank every unit of every layer by |Pearson r| with each property of the text (NaN never ranks)."""
    text = result.text if text is None else text
    if len(text) != len(result.ids):
        raise ValueError(f"the text has {len(text)} characters but the trace has {len(result.ids)}")
    if state != "h" and state not in GATES[result.kind]:
        raise ValueError(f"a {result.kind} trace has no {state!r}; use 'h' or one of {GATES[result.kind]}")
    top = as_whole(top, 1, MAX_TOP_K, "rnn.top_k")
    values = [layer.h if state == "h" else layer.gates[state] for layer in result.layers]
    units = torch.cat(values, dim=1)  # (T, L·H)
    width = values[0].shape[1]
    properties = text_properties(text)
    best, constant = {}, []
    for name, prop in properties.items():
        r = pearson(units, prop)
        valid = torch.nonzero(torch.isfinite(r)).flatten()
        if len(valid) == 0:
            if not bool(prop.amax() > prop.amin()):
                constant.append(name)
            best[name] = ()
            continue
        order = valid[r[valid].abs().argsort(descending=True, stable=True)][:top]
        best[name] = tuple(Unit(name, int(j) // width, int(j) % width, float(r[j])) for j in order)
    return UnitFinder(state, properties, best, tuple(constant))


def best_unit(found: UnitFinder) -> tuple[int, int] | None:
    """(layer 1-based, unit) of the strongest unit over all properties, for a first view."""
    units = [u for group in found.best.values() for u in group if math.isfinite(u.r)]
    if not units:
        return None
    top = max(units, key=lambda u: abs(u.r))
    return top.layer + 1, top.unit


# --- gate saturation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saturation:
    """How often a sigmoid gate was (nearly) shut or open over the text."""

    layer: int
    gate: str
    low: float  # fraction of all (t, unit) values below SATURATED_LOW
    high: float  # fraction above SATURATED_HIGH
    low_per_unit: Tensor  # (H,) fraction of time steps below SATURATED_LOW, per unit
    high_per_unit: Tensor  # (H,)


def gate_saturation(result: Trace) -> tuple[Saturation, ...]:
    """Per layer and sigmoid gate (LSTM i, f, o; GRU r, z; none for the RNN), the fraction of time < 0.1 and > 0.9."""
    rows = []
    for index, layer in enumerate(result.layers):
        for name in SIGMOID_GATES[result.kind]:
            gate = layer.gates[name]  # (T, H)
            low = (gate < SATURATED_LOW).double()
            high = (gate > SATURATED_HIGH).double()
            rows.append(Saturation(index, name, float(low.mean()), float(high.mean()), low.mean(0), high.mean(0)))
    return tuple(rows)


# --- gradient flow over time --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientFlow:
    """‖∂L/∂Hₜ‖ for every layer and step, L the cross-entropy of predicting the text's last character."""

    kind: str
    chars: tuple[str, ...]  # the characters read (the window before the last character)
    target: str  # the last character, the one the loss is measured on
    loss: float
    norms: Tensor  # (L, T) ‖∂L/∂Hₜ‖ per layer; norms[:, -1] is at the character just before the target
    cell_norms: Tensor | None  # (L, T) ‖∂L/∂Cₜ‖ for the LSTM, None otherwise
    start: int  # position in the text where the window starts (0 unless the text is longer than the window)
    total: int  # characters in the text

    @property
    def steps_back(self) -> Tensor:
        """(T,) how many steps each position lies before the last input character: T-1 … 0."""
        return torch.arange(self.norms.shape[1] - 1, -1, -1)


def gradient_flow(model: CharLM, text: str, *, vocab: Vocab | None = None) -> GradientFlow:
    """Back-propagate the loss at the last character through the scratch cells and measure ‖∂L/∂Hₜ‖ at every step.

    The fused layers hide their inner states, so the model is stepped one cell at a time here (with the same
    weights) and autograd gives the gradient with respect to each Hₜ (and Cₜ for the LSTM). Only the last
    ``MAX_GRADIENT_FLOW_CHARS`` + 1 characters are used. Parameters' ``.grad`` are never touched.
    """
    vocab = _vocab(model, vocab)
    encoded = read_text(text, vocab)
    if len(encoded.ids) < 2:
        raise InputError("rnn.err.too_short")
    start = max(0, len(encoded.ids) - MAX_GRADIENT_FLOW_CHARS - 1)
    window = encoded.ids[start:].to(device_of(model))  # (T+1,)
    inputs, target = window[:-1], window[-1:]  # (T,), (1,)
    with torch.enable_grad():
        # The gradient is taken with respect to the states, so it exists even if the weights are frozen.
        x = model.embedding(inputs[None]).detach().requires_grad_(True)  # (1, T, E)
        states: list[list[Tensor]] = []  # per layer, each Hₜ (1, H)
        cells: list[list[Tensor]] = []  # per layer, each Cₜ (1, H), LSTM only
        for k in range(model.num_layers):
            cell = model.cell(k)
            state = None
            hs, cs = [], []
            for position in range(x.shape[1]):
                step = cell(x[:, position], state)
                state = (step.h, step.c) if isinstance(step, LSTMStep) else step.h
                hs.append(step.h)
                if isinstance(step, LSTMStep):
                    cs.append(step.c)
            states.append(hs)
            cells.append(cs)
            x = torch.stack(hs, dim=1)  # (1, T, H): the next layer's input
        loss = F.cross_entropy(model.head(x[:, -1]), target)
        flat = [h for hs in states for h in hs] + [c for cs in cells for c in cs]
        # ∂L/∂Hₜ holds Cₜ fixed; ∂L/∂Cₜ counts every path from Cₜ (on to Cₜ₊₁ and through Hₜ = Oₜ ⊙ tanh(Cₜ))
        grads = torch.autograd.grad(loss, flat)
    norms = torch.stack([g.norm() for g in grads]).cpu()
    n_layers, steps = model.num_layers, len(inputs)
    h_norms = norms[:n_layers * steps].reshape(n_layers, steps)
    c_norms = norms[n_layers * steps:].reshape(n_layers, steps) if model.kind == "lstm" else None
    return GradientFlow(model.kind, tuple(vocab.chars[i] for i in inputs.tolist()), vocab.chars[int(target)],
                        float(loss.detach()), h_norms, c_norms, start, len(encoded.ids))


# --- sampling -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    prompt: str
    continuation: str  # the generated characters only
    ids: Tensor  # (length,) their ids
    unknown: dict[str, int]  # characters of the prompt read as the unknown token
    temperature: float
    seed: int

    @property
    def text(self) -> str:
        """The prompt and what the model wrote after it."""
        return self.prompt + self.continuation


@torch.no_grad()
def sample(model: CharLM, prompt: str, *, length: int = 200, temperature: float = 1.0, seed: int = 0,
           vocab: Vocab | None = None) -> Sample:
    """Continue the prompt one character at a time, drawing from softmax(logits / temperature) (primer §1).

    The draws come from ``torch.Generator().manual_seed(seed)``: same model, prompt, settings and seed, same text.
    The unknown token is never drawn.
    """
    vocab = _vocab(model, vocab)
    encoded = read_text(prompt, vocab)
    length = as_whole(length, 1, MAX_SAMPLE_CHARS, "rnn.length")
    temperature = _temperature(temperature)
    seed = as_whole(seed, 0, MAX_SEED, "rnn.seed")
    generator = torch.Generator().manual_seed(seed)
    device = device_of(model)
    out = model.run(encoded.ids.to(device)[None])  # read the whole prompt once
    never = torch.arange(len(vocab)) == 0  # the unknown token
    drawn = []
    for _ in range(length):
        scores = (out.logits[0, -1].double().cpu() / temperature).masked_fill(never, -math.inf)  # (V,)
        next_id = torch.multinomial(torch.softmax(scores, dim=-1), 1, generator=generator)  # (1,)
        drawn.append(int(next_id))
        out = model.run(next_id.to(device)[None], out.states)  # one more step from the carried state
    ids = torch.tensor(drawn, dtype=torch.int64)
    return Sample(prompt, vocab.decode(ids), ids, encoded.unknown, temperature, seed)
