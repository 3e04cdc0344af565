"""How each bundled network is trained: the recipe ``python -m playground.train NAME`` follows.

The numbers were found by trial on a 2-core CPU (each network trains in a few minutes); the manifest
records the recipe next to the accuracy it produced.
"""

from __future__ import annotations

from playground.train.loop import TrainConfig

RECIPES: dict[str, TrainConfig] = {
    "lenet": TrainConfig(epochs=30, lr=1e-3, batch_size=36, schedule="cosine"),
}
