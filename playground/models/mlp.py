"""Multi-layer perceptron: H = f(X·W₁ + b₁), …, Y = H·Wₙ + bₙ (primer §1, figure 2)."""

from __future__ import annotations

from collections.abc import Sequence

from torch import Tensor, nn

from .activations import make_activation


class MLP(nn.Module):
    """Fully connected layers with an activation after each hidden layer (none after the last layer).

    ``MLP([1, 4, 1], activation=None)`` is the primer's "two linear layers without an activation",
    which collapses to a single linear layer. ``activation`` is one name for every hidden layer or one
    name per hidden layer: ``MLP([2, 4, 4, 2], activation=["tanh", "none"])``. ``nn.Linear`` stores W as
    (out, in), so the primer's W₁ (in × hidden) is ``layers[0].weight.T``.
    """

    def __init__(self, sizes: Sequence[int], activation: str | None | Sequence[str | None] = "relu",
                 **activation_params: float):
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"an MLP needs at least an input and an output size, got {list(sizes)}")
        self.model_args = {"sizes": sizes, "activation": activation, **activation_params}
        self.sizes = tuple(int(s) for s in sizes)
        hidden = len(self.sizes) - 2
        names = [activation] * hidden if activation is None or isinstance(activation, str) else list(activation)
        if len(names) != hidden:
            raise ValueError(f"{hidden} hidden layer(s) need {hidden} activation(s), got {names}")
        self.activation_names = tuple(name or "none" for name in names)
        self.activation_name = (activation or "none") if activation is None or isinstance(activation, str) \
            else ", ".join(self.activation_names)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        self.acts = nn.ModuleList(make_activation(name, **activation_params) for name in names)

    @property
    def act(self) -> nn.Module:
        """The activation of the first hidden layer (all of them, when one name was given)."""
        return self.acts[0] if len(self.acts) else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:  # (batch, sizes[0]) -> (batch, sizes[-1])
        for layer, act in zip(self.layers, self.acts):
            x = act(layer(x))  # (batch, width of this hidden layer)
        return self.layers[-1](x)
