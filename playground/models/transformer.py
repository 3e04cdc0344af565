"""The Transformer (primer §14, Vaswani et al. 2017, "Attention Is All You Need", arXiv:1706.03762) and the
Vision Transformer (primer §15, Dosovitskiy et al. 2020, arXiv:2010.11929), from one set of parts.

Every attention layer *returns* its weights with its output — ``Attention(output, weights)`` — and never
stores them on the module, so two threads can run one network and a lesson gets exactly the weights that made
the output. ``MultiHeadAttention`` keeps its projections as ``nn.MultiheadAttention`` does (``in_proj_weight``
is ``cat(q, k, v)``), so the tests can copy weights across and compare outputs.

The layers are pre-norm (LayerNorm before each sub-layer, Xiong et al. 2020, arXiv:2002.04745), as in ViT: the
small networks here then train in minutes without a learning-rate warm-up. The original paper normalises after
each residual addition; the attention itself is the same.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor, nn

PAD = 0  # index 0 of every vocabulary here is padding


class Attention(NamedTuple):
    output: Tensor  # (B, Tq, D)
    weights: Tensor  # (B, heads, Tq, Tk): softmax(Q·Kᵀ/√d_head + mask); every row sums to 1


class MultiHeadAttention(nn.Module):
    """softmax(Q·Kᵀ/√d + mask)·V in ``heads`` subspaces of size d = D / heads, concatenated and projected."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        if dim % heads:
            raise ValueError(f"the model size {dim} must divide into {heads} heads")
        self.dim, self.heads, self.head_dim = dim, heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def _split(self, x: Tensor) -> Tensor:  # (B, T, D) -> (B, heads, T, d)
        return x.unflatten(-1, (self.heads, self.head_dim)).transpose(1, 2)

    def scores(self, query: Tensor, key: Tensor, mask: Tensor | None = None) -> Tensor:
        """Q·Kᵀ/√d per head, (B, heads, Tq, Tk), with −∞ where ``mask`` is True (not allowed to look)."""
        q, k = self._split(self.q(query)), self._split(self.k(key))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)
        if mask is not None:  # (Tq, Tk) or (B, 1, Tq, Tk), broadcast over heads
            scores = scores.masked_fill(mask, float("-inf"))
        return scores

    def forward(self, query: Tensor, key: Tensor, mask: Tensor | None = None) -> Attention:
        weights = torch.softmax(self.scores(query, key, mask), dim=-1)  # (B, heads, Tq, Tk)
        mixed = weights @ self._split(self.v(key))  # (B, heads, Tq, d): each query's weighted sum of values
        return Attention(self.out(mixed.transpose(1, 2).flatten(2)), weights)


class FeedForward(nn.Sequential):
    """The position-wise network: Linear → GELU → Linear, applied to every token alone."""

    def __init__(self, dim: int, hidden: int, dropout: float = 0.0):
        super().__init__(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, dim))


class EncoderLayer(nn.Module):
    """x + SelfAttention(LN(x)), then x + FeedForward(LN(x)). Used by the seq2seq encoder and by ViT."""

    def __init__(self, dim: int, heads: int, hidden: int, dropout: float = 0.0):
        super().__init__()
        self.norm1, self.attention = nn.LayerNorm(dim), MultiHeadAttention(dim, heads)
        self.norm2, self.feed_forward = nn.LayerNorm(dim), FeedForward(dim, hidden, dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor, mask: Tensor | None = None) -> Attention:  # x: (B, T, D)
        normed = self.norm1(x)
        attended = self.attention(normed, normed, mask)
        x = x + self.dropout(attended.output)
        return Attention(x + self.dropout(self.feed_forward(self.norm2(x))), attended.weights)


class DecoderStep(NamedTuple):
    output: Tensor  # (B, T, D)
    self_weights: Tensor  # (B, heads, T, T): masked, zero above the diagonal
    cross_weights: Tensor  # (B, heads, T, S): where each output position looked in the source


class DecoderLayer(nn.Module):
    """Masked self-attention (a position sees only earlier outputs), cross-attention to the encoder, feed-forward."""

    def __init__(self, dim: int, heads: int, hidden: int, dropout: float = 0.0):
        super().__init__()
        self.norm1, self.self_attention = nn.LayerNorm(dim), MultiHeadAttention(dim, heads)
        self.norm2, self.cross_attention = nn.LayerNorm(dim), MultiHeadAttention(dim, heads)
        self.norm3, self.feed_forward = nn.LayerNorm(dim), FeedForward(dim, hidden, dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(self, y: Tensor, memory: Tensor, future_mask: Tensor, memory_mask: Tensor | None) -> DecoderStep:
        normed = self.norm1(y)
        own = self.self_attention(normed, normed, future_mask)
        y = y + self.dropout(own.output)
        cross = self.cross_attention(self.norm2(y), memory, memory_mask)
        y = y + self.dropout(cross.output)
        return DecoderStep(y + self.dropout(self.feed_forward(self.norm3(y))), own.weights, cross.weights)


def sinusoidal_positions(length: int, dim: int) -> Tensor:
    """PE(pos, 2i) = sin(pos / 10000^(2i/D)), PE(pos, 2i+1) = cos(...): (length, dim)."""
    position = torch.arange(length, dtype=torch.float32)[:, None]
    frequency = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10_000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


def future_mask(length: int, device: torch.device | None = None) -> Tensor:
    """(T, T) bool, True above the diagonal: output position t may not look at positions after t."""
    return torch.ones(length, length, dtype=torch.bool, device=device).triu(1)


class Seq2SeqAttention(NamedTuple):
    """Every attention map of one pass; lists are per layer."""

    encoder: list[Tensor]  # (B, heads, S, S)
    decoder: list[Tensor]  # (B, heads, T, T), masked
    cross: list[Tensor]  # (B, heads, T, S)


class Seq2SeqTransformer(nn.Module):
    """Encoder–decoder Transformer over token ids. ``forward(source, target_in)`` → (logits, attention).

    source: (B, S) ids, PAD = 0 where a shorter source ends; target_in: (B, T) ids starting with BOS.
    logits: (B, T, target_vocab): position t predicts target token t + 1 (teacher forcing while training).
    """

    def __init__(self, source_vocab: int, target_vocab: int, dim: int = 64, heads: int = 4, layers: int = 2,
                 hidden: int = 128, max_len: int = 64, dropout: float = 0.0):
        super().__init__()
        self.model_args = {"source_vocab": source_vocab, "target_vocab": target_vocab, "dim": dim, "heads": heads,
                           "layers": layers, "hidden": hidden, "max_len": max_len, "dropout": dropout}
        self.dim, self.max_len = dim, max_len
        self.source_embedding = nn.Embedding(source_vocab, dim, padding_idx=PAD)
        self.target_embedding = nn.Embedding(target_vocab, dim, padding_idx=PAD)
        self.register_buffer("positions", sinusoidal_positions(max_len, dim), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(dim, heads, hidden, dropout) for _ in range(layers))
        self.decoder = nn.ModuleList(DecoderLayer(dim, heads, hidden, dropout) for _ in range(layers))
        self.encoder_norm, self.decoder_norm = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.head = nn.Linear(dim, target_vocab)

    def _embed(self, embedding: nn.Embedding, ids: Tensor) -> Tensor:  # (B, T) -> (B, T, D)
        return embedding(ids) * math.sqrt(self.dim) + self.positions[: ids.shape[1]]

    def encode(self, source: Tensor) -> tuple[Tensor, Tensor, list[Tensor]]:
        """(memory (B, S, D), padding mask (B, 1, 1, S) True at PAD, encoder weights per layer)."""
        if source.shape[1] > self.max_len:
            raise ValueError(f"the source has {source.shape[1]} tokens; this network reads at most {self.max_len}")
        pad_mask = (source == PAD)[:, None, None, :]
        x, weights = self._embed(self.source_embedding, source), []
        for layer in self.encoder:
            x, w = layer(x, pad_mask)
            weights.append(w)
        return self.encoder_norm(x), pad_mask, weights

    def decode(self, target_in: Tensor, memory: Tensor, pad_mask: Tensor) -> tuple[Tensor, list[Tensor], list[Tensor]]:
        """(logits (B, T, V), masked self-attention weights per layer, cross-attention weights per layer)."""
        y = self._embed(self.target_embedding, target_in)
        mask = future_mask(target_in.shape[1], target_in.device)
        own, cross = [], []
        for layer in self.decoder:
            y, w_own, w_cross = layer(y, memory, mask, pad_mask)
            own.append(w_own)
            cross.append(w_cross)
        return self.head(self.decoder_norm(y)), own, cross

    def forward(self, source: Tensor, target_in: Tensor) -> tuple[Tensor, Seq2SeqAttention]:
        memory, pad_mask, encoder_weights = self.encode(source)
        logits, own, cross = self.decode(target_in, memory, pad_mask)
        return logits, Seq2SeqAttention(encoder_weights, own, cross)

    @torch.no_grad()
    def greedy(self, source: Tensor, *, bos: int, eos: int, max_steps: int) -> Tensor:
        """Decode one token at a time, each step the most likely: (B, ≤ max_steps + 1) ids starting with BOS."""
        memory, pad_mask, _ = self.encode(source)
        out = torch.full((source.shape[0], 1), bos, dtype=torch.long, device=source.device)
        for _ in range(max_steps):
            logits, _, _ = self.decode(out, memory, pad_mask)
            out = torch.cat([out, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
            if bool((out == eos).any(1).all()):
                break
        return out


class PatchEmbedding(nn.Module):
    """Cut the picture into patch×patch squares and turn each into a D-vector: (B, C, H, W) → (B, H/p · W/p, D),
    patches in reading order (row by row).

    ``stem="linear"``: the ViT paper's projection, one linear map per patch (a convolution with kernel = stride
    = patch). ``stem="conv"``: a few small convolutions that halve the picture until one cell is one patch
    (Xiao et al. 2021, "Early Convolutions Help Transformers See Better", arXiv:2106.14881): each token still
    stands for its patch, but also sees a little around it — which lets a ViT learn from a few thousand
    pictures instead of millions.
    """

    def __init__(self, channels: int, dim: int, patch: int, stem: str = "linear"):
        super().__init__()
        self.patch = patch
        if stem == "linear":
            self.projection = nn.Conv2d(channels, dim, kernel_size=patch, stride=patch)
        elif stem == "conv":
            halvings = patch.bit_length() - 1
            if 2**halvings != patch:
                raise ValueError("a convolutional stem halves the picture: "
                                 f"the patch must be a power of 2, not {patch}")
            widths = [channels, *(dim // 2 ** (halvings - i) for i in range(1, halvings + 1))]
            layers: list[nn.Module] = []
            for c_in, c_out in zip(widths[:-1], widths[1:]):  # 3×3, stride 2: each halves the side
                layers += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(c_out),
                           nn.ReLU(inplace=True)]
            self.projection = nn.Sequential(*layers, nn.Conv2d(widths[-1], dim, 1))
        else:
            raise ValueError(f"stem is 'linear' or 'conv', not {stem!r}")

    def forward(self, x: Tensor) -> Tensor:
        return self.projection(x).flatten(2).transpose(1, 2)


class ViTOutput(NamedTuple):
    logits: Tensor  # (B, classes)
    attention: list[Tensor]  # per layer (B, heads, 1 + patches, 1 + patches); token 0 is CLS


class VisionTransformer(nn.Module):
    """ViT: patches + a learned CLS token + learned positions → encoder layers → the CLS token → classes.

    ``forward`` returns the logits (so the training loop and the zoo treat it as any classifier);
    ``forward_with_attention`` also returns every layer's attention weights.
    """

    def __init__(self, num_classes: int = 10, image_size: int = 32, patch: int = 4, channels: int = 3,
                 dim: int = 64, heads: int = 4, layers: int = 4, hidden: int = 128, dropout: float = 0.0,
                 stem: str = "linear"):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "image_size": image_size, "patch": patch, "channels": channels,
                           "dim": dim, "heads": heads, "layers": layers, "hidden": hidden, "dropout": dropout,
                           "stem": stem}
        if image_size % patch:
            raise ValueError(f"patches of {patch} pixels do not tile a {image_size}-pixel picture")
        self.image_size, self.patch, self.grid = image_size, patch, image_size // patch
        self.patches = PatchEmbedding(channels, dim, patch, stem)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.position = nn.Parameter(torch.randn(1, 1 + self.grid**2, dim) * 0.02)
        self.blocks = nn.ModuleList(EncoderLayer(dim, heads, hidden, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward_with_attention(self, x: Tensor) -> ViTOutput:  # x: (B, C, image_size, image_size)
        tokens = self.patches(x)  # (B, N, D)
        tokens = torch.cat([self.cls_token.expand(len(tokens), -1, -1), tokens], dim=1) + self.position
        weights = []
        for block in self.blocks:
            tokens, w = block(tokens)
            weights.append(w)
        return ViTOutput(self.head(self.norm(tokens[:, 0])), weights)

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_with_attention(x).logits
