"""Multi-layer perceptron: H = f(X·W₁ + b₁), …, Y = H·Wₙ + bₙ (primer §1, figure 2)."""

from __future__ import annotations

from collections.abc import Sequence

from torch import Tensor, nn

from .activations import make_activation


class MLP(nn.Module):
    """Fully connected layers with one activation between them (none after the last layer).

    ``MLP([1, 4, 1], activation=None)`` is the primer's "two linear layers without an activation",
    which collapses to a single linear layer. ``nn.Linear`` stores W as (out, in), so the primer's
    W₁ (in × hidden) is ``layers[0].weight.T``.
    """

    def __init__(self, sizes: Sequence[int], activation: str | None = "relu", **activation_params: float):
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"an MLP needs at least an input and an output size, got {list(sizes)}")
        self.sizes = tuple(int(s) for s in sizes)
        self.activation_name = activation or "none"
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        self.act = make_activation(activation, **activation_params)

    def forward(self, x: Tensor) -> Tensor:  # (batch, sizes[0]) -> (batch, sizes[-1])
        for index, layer in enumerate(self.layers):
            x = layer(x)
            if index < len(self.layers) - 1:
                x = self.act(x)
        return x
