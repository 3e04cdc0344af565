"""Primer §13–§15: attention, read off real networks — a seq2seq Transformer normalising the learner's date, and a
Vision Transformer looking at the learner's picture.

Every map here is a weight the network used: the attention layers of ``playground.models.transformer`` return
their weights with their outputs. ``mechanism`` recomputes one head's row from its own projections —
Q·Kᵀ/√d, the mask, the softmax — and reports how far that is from the weights the network returned.

Attention is not explanation (Jain & Wallace 2019, arXiv:1902.10186; Wiegreffe & Pinter 2019,
arXiv:1908.04626): a weight says where a head read from, not why the output is what it is; the values mixed
and the layers after it matter too.

    >>> from playground.lessons.networks import resolve
    >>> reading = read_date(resolve("transformer", "bundled").model, "Thursday, 26 November 2026")
    >>> reading.output
    '2026-11-26'
    >>> reading.cross[-1].shape  # (heads, 11 output steps, 26 source characters)
    torch.Size([4, 11, 26])
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from playground.data import dates
from playground.errors import InputError
from playground.inputs import as_whole
from playground.limits import MAX_DATE_CHARS
from playground.models.transformer import MultiHeadAttention, Seq2SeqTransformer
from playground.runtime import device_of

KINDS = ("encoder", "decoder", "cross")  # encoder self-attention, masked decoder self-attention, cross-attention


# --- the date Transformer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateReading:
    """One date read by the Transformer: the decoded output and every attention map that produced it."""

    text: str  # what the network read (the learner's text, stripped)
    source_tokens: tuple[str, ...]  # one label per source position; unknown characters shown as "�"
    output_tokens: tuple[str, ...]  # one per decoding step: the characters, then "</s>"
    confidence: tuple[float, ...]  # softmax probability of each chosen token
    alternatives: tuple[tuple[tuple[str, float], ...], ...]  # per step, the ALTERNATIVES most probable tokens
    encoder: tuple[Tensor, ...]  # per layer (heads, S, S)
    decoder: tuple[Tensor, ...]  # per layer (heads, T, T), zero above the diagonal
    cross: tuple[Tensor, ...]  # per layer (heads, T, S); row t: where step t looked when writing output_tokens[t]
    unknown: tuple[str, ...]  # characters outside the alphabet, in order of appearance
    source_ids: Tensor  # (1, S)
    target_in: Tensor  # (1, T): BOS and the decoded tokens before the last one

    @property
    def output(self) -> str:
        return "".join(token for token in self.output_tokens if token != "</s>")

    @property
    def is_valid_date(self) -> bool:
        try:
            dt.date.fromisoformat(self.output)
        except ValueError:
            return False
        return len(self.output) == dates.TARGET_LENGTH

    def maps(self, kind: str) -> tuple[Tensor, ...]:
        if kind not in KINDS:
            raise InputError("attn.err.kind", kind=str(kind)[:20], choices=", ".join(KINDS))
        return {"encoder": self.encoder, "decoder": self.decoder, "cross": self.cross}[kind]

    def labels(self, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(row labels, column labels) of a map: decoder rows are labelled by the token they wrote."""
        queries = self.source_tokens if kind == "encoder" else self.output_tokens
        keys = self.source_tokens if kind in ("encoder", "cross") else ("<s>", *self.output_tokens[:-1])
        return queries, keys


def check_date_text(text: object) -> str:
    """The learner's text, stripped; empty or too long is a clear error."""
    text = "" if text is None else str(text).strip()
    if not text:
        raise InputError("attn.err.empty")
    if len(text) > MAX_DATE_CHARS:
        raise InputError("attn.err.too_long", count=len(text), limit=MAX_DATE_CHARS)
    return text


ALTERNATIVES = 3  # the most probable tokens kept at every decoding step


@torch.no_grad()
def read_date(model: Seq2SeqTransformer, text: object) -> DateReading:
    """Greedy decoding of ``text``, then one teacher-forced pass over the decoded tokens for the maps.

    The decoder is causal, so the maps of that one pass are exactly those of the step-by-step decoding
    (a test checks it); row t of every decoder map is the step that wrote output token t.
    """
    text = check_date_text(text)
    source = torch.tensor([dates.encode_source(text)], device=device_of(model))
    decoded = model.greedy(source, bos=dates.BOS, eos=dates.EOS, max_steps=dates.TARGET_LENGTH + 1)[0]
    target_in = decoded[:-1][None]  # every token but the last is read by a later step
    logits, attention = model(source, target_in)
    probabilities = torch.softmax(logits[0], -1)
    written = decoded[1:]
    confidence = probabilities.gather(1, written[:, None])[:, 0]
    best, best_ids = probabilities.topk(ALTERNATIVES, dim=-1)
    alternatives = tuple(tuple((dates.TARGET_TOKENS[i], p) for i, p in zip(ids, ps))
                         for ids, ps in zip(best_ids.tolist(), best.tolist()))
    unknown = tuple(dict.fromkeys(c for c, i in zip(text, dates.encode_source(text)) if i == dates.UNKNOWN))
    return DateReading(
        text=text,
        source_tokens=tuple("\ufffd" if i == dates.UNKNOWN else c for c, i in zip(text, dates.encode_source(text))),
        output_tokens=tuple(dates.TARGET_TOKENS[i] for i in written.tolist()),
        confidence=tuple(confidence.tolist()),
        alternatives=alternatives,
        encoder=tuple(w[0].cpu() for w in attention.encoder),
        decoder=tuple(w[0].cpu() for w in attention.decoder),
        cross=tuple(w[0].cpu() for w in attention.cross),
        unknown=unknown, source_ids=source.cpu(), target_in=target_in.cpu())


def head_view(maps: Sequence[Tensor], layer: int, head: int | None) -> Tensor:
    """One layer's map for one head, or (``head=None``) the average of its heads: (rows, columns)."""
    weights = maps[_index(layer, len(maps), "attn.layer")]
    if head is None:
        return weights.mean(0)
    return weights[_index(head, weights.shape[0], "attn.head")]


def _index(value: object, size: int, what: str) -> int:
    return as_whole(value, 0, size - 1, what)


@dataclass(frozen=True)
class Mechanism:
    """One head at one query position, step by step: scores = Q·Kᵀ/√d, the mask, softmax → weights."""

    kind: str
    layer: int
    head: int
    step: int
    keys: tuple[str, ...]  # column labels
    scores: Tensor  # (Tk,) Q·Kᵀ/√d before the mask
    masked: Tensor  # (Tk,) bool: True where the query may not look (future step, or padding)
    weights: Tensor  # (Tk,) softmax of the masked scores; exactly 0 where masked
    returned: Tensor  # (Tk,) the weights the network returned in its forward pass
    head_dim: int

    @property
    def max_difference(self) -> float:
        return float((self.weights - self.returned).abs().max())


@torch.no_grad()
def mechanism(model: Seq2SeqTransformer, reading: DateReading, kind: str, layer: object, head: object,
              step: object) -> Mechanism:
    """Recompute one row of one head from the layer's own Q and K projections and its inputs."""
    maps = reading.maps(kind)
    layer = _index(layer, len(maps), "attn.layer")
    head = _index(head, maps[layer].shape[0], "attn.head")
    step = _index(step, maps[layer].shape[1], "attn.step")
    query_in, key_in, mask, attention = _attention_inputs(model, reading, kind, layer)
    scores = attention.scores(query_in, key_in)[0, head, step]  # (Tk,) without the mask
    masked = mask.expand(1, 1, query_in.shape[1], key_in.shape[1])[0, 0, step] if mask is not None \
        else torch.zeros_like(scores, dtype=torch.bool)
    weights = torch.softmax(scores.masked_fill(masked, float("-inf")), -1)
    return Mechanism(kind, layer, head, step, reading.labels(kind)[1], scores.cpu(), masked.cpu(), weights.cpu(),
                     maps[layer][head, step], attention.head_dim)


def _attention_inputs(model: Seq2SeqTransformer, reading: DateReading, kind: str,
                      layer: int) -> tuple[Tensor, Tensor, Tensor | None, MultiHeadAttention]:
    """What the chosen attention module received in ``read_date``'s pass: (query input, key input, mask, module).

    The pass is re-run with a pre-hook on that module, which records its arguments (no weights are changed);
    passes other threads run meanwhile on a shared model are ignored.
    """
    module = {"encoder": lambda: model.encoder[layer].attention, "decoder": lambda: model.decoder[layer].self_attention,
              "cross": lambda: model.decoder[layer].cross_attention}[kind]()
    seen: list[tuple] = []
    me = threading.get_ident()
    handle = module.register_forward_pre_hook(
        lambda _module, args: seen.append(args) if threading.get_ident() == me else None)
    try:
        device = device_of(model)
        model(reading.source_ids.to(device), reading.target_in.to(device))
    finally:
        handle.remove()
    query_in, key_in, mask = seen[0]
    return query_in, key_in, mask, module


def step_by_step_cross(model: Seq2SeqTransformer, reading: DateReading) -> list[Tensor]:
    """Cross-attention of the last layer recomputed the slow way — one decoding step at a time, each step
    seeing only the tokens before it — as (heads, S) per step. Equal to ``reading.cross[-1]`` row by row."""
    device = device_of(model)
    memory, pad_mask, _ = model.encode(reading.source_ids.to(device))
    rows = []
    with torch.no_grad():
        for step in range(reading.target_in.shape[1]):
            _, _, cross = model.decode(reading.target_in[:, : step + 1].to(device), memory, pad_mask)
            rows.append(cross[-1][0, :, step].cpu())
    return rows


# --- the Vision Transformer -----------------------------------------------------------------------------


def rollout(layers: Sequence[Tensor], *, keep_steps: bool = False) -> Tensor | list[Tensor]:
    """Attention rollout (Abnar & Zuidema 2020, arXiv:2005.00928) over layers of (heads, T, T) weights.

    Per layer: average the heads, add the identity (the residual connection carries each token on), make every
    row sum to 1 again, and multiply through the layers: R = Â_L ··· Â_2 · Â_1. Row i of R says how much each
    input token reached token i at the top. ``keep_steps``: the product after every layer, as a list.
    """
    if not layers:
        raise ValueError("rollout needs at least one layer")
    tokens = layers[0].shape[-1]
    result = torch.eye(tokens, dtype=torch.float64)
    steps = []
    for weights in layers:
        mixed = weights.double().mean(0) + torch.eye(tokens, dtype=torch.float64)
        mixed = mixed / mixed.sum(-1, keepdim=True)
        result = mixed @ result
        steps.append(result.float())
    return steps if keep_steps else steps[-1]


@dataclass(frozen=True)
class VitReading:
    """A picture read by a Vision Transformer: its prediction and every layer's attention."""

    logits: Tensor  # (classes,)
    attention: tuple[Tensor, ...]  # per layer (heads, 1 + patches, 1 + patches); token 0 is CLS
    grid: int  # patches per side
    patch: int  # pixels per patch side

    def cls_map(self, layer: int, head: int | None) -> Tensor:
        """How much CLS attended to each patch: (grid, grid)."""
        return head_view(self.attention, layer, head)[0, 1:].reshape(self.grid, self.grid)

    def rollout_map(self, upto: int | None = None) -> Tensor:
        """The rollout's CLS row over the patches, through layer ``upto`` (default: all): (grid, grid)."""
        layers = (self.attention if upto is None
                  else self.attention[: _index(upto, len(self.attention), "attn.layer") + 1])
        return rollout(layers)[0, 1:].reshape(self.grid, self.grid)


@torch.no_grad()
def read_picture(model: nn.Module, x: Tensor) -> VitReading:
    """``model``: the bundled ViT (``forward_with_attention``) or torchvision's ``VisionTransformer``, whose
    blocks call attention with ``need_weights=False``: its weights are recomputed from each block's own attention
    module (its parameters, on the inputs it received in this pass); torchvision's code is not patched."""
    if hasattr(model, "forward_with_attention"):
        logits, attention = model.forward_with_attention(x)
        return VitReading(logits[0].cpu(), tuple(w[0].cpu() for w in attention), model.grid, model.patch)
    with _recorded_attention_inputs(model) as inputs:
        logits = model(x)
    attention = [_torchvision_weights(block.self_attention, args[0], args[1]) for block, args in inputs]
    grid = int(round((attention[0].shape[-1] - 1) ** 0.5))
    return VitReading(logits[0].cpu(), tuple(attention), grid, model.patch_size)


def _torchvision_weights(attention: nn.MultiheadAttention, query: Tensor, key: Tensor) -> Tensor:
    """softmax(Q·Kᵀ/√d) per head from the module's own projections, for what the block passed it: (heads, T, T).

    Only Q and K are recomputed — calling the module again with ``need_weights=True`` would also redo V and the
    output projection, and cost a third more than the pass itself on ViT-B/16. tests/unit/test_attention.py checks
    that these weights, applied to V, give back the block's own output.
    """
    dim, heads = attention.embed_dim, attention.num_heads
    weight, bias = attention.in_proj_weight, attention.in_proj_bias  # (3·D, D): Q, K and V stacked
    q = F.linear(query, weight[:dim], bias[:dim]).unflatten(-1, (heads, dim // heads)).transpose(1, 2)
    k = F.linear(key, weight[dim : 2 * dim], bias[dim : 2 * dim]).unflatten(-1, (heads, dim // heads)).transpose(1, 2)
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(dim // heads), dim=-1)[0].cpu()


@contextmanager
def _recorded_attention_inputs(model: nn.Module):
    """torchvision ViT: record what each encoder block passed to its ``self_attention`` (query, key, value)."""
    recorded: list[tuple[nn.Module, tuple]] = []
    me = threading.get_ident()

    def record(block: nn.Module):
        def hook(_module: nn.Module, args: tuple) -> None:
            if threading.get_ident() == me:  # another learner's pass on the shared model is not ours
                recorded.append((block, args[:3]))
        return hook

    handles = [block.self_attention.register_forward_pre_hook(record(block)) for block in model.encoder.layers]
    try:
        yield recorded
    finally:
        for handle in handles:
            handle.remove()
