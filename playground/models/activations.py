"""The activation functions of primer §1 as PyTorch modules, by name.

One table so the activation lesson, the MLP and later the playground tabs agree on what "elu" means.
Parameters a learner can change: LeakyReLU's ``negative_slope``, ELU's ``alpha``, Softplus's ``beta``.
"""

from __future__ import annotations

from torch import nn

# name -> (module class, the keyword it takes from the learner's controls, or None)
_TABLE: dict[str, tuple[type[nn.Module], str | None]] = {
    "sigmoid": (nn.Sigmoid, None),
    "tanh": (nn.Tanh, None),
    "relu": (nn.ReLU, None),
    "leaky_relu": (nn.LeakyReLU, "negative_slope"),
    "elu": (nn.ELU, "alpha"),
    "gelu": (nn.GELU, None),
    "silu": (nn.SiLU, None),
    "relu6": (nn.ReLU6, None),
    "softplus": (nn.Softplus, "beta"),
}

ACTIVATION_NAMES: tuple[str, ...] = tuple(_TABLE)


def make_activation(
    name: str | None, *, negative_slope: float = 0.01, alpha: float = 1.0, beta: float = 1.0
) -> nn.Module:
    """``make_activation("elu", alpha=0.5)`` → ``nn.ELU(alpha=0.5)``; ``None`` or ``"none"`` → identity."""
    if name in (None, "none", "identity"):
        return nn.Identity()
    cls, keyword = _TABLE[name]
    params = {"negative_slope": negative_slope, "alpha": alpha, "beta": beta}
    return cls(**{keyword: params[keyword]}) if keyword else cls()
