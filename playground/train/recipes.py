"""How each bundled network is trained: the recipe ``python -m playground.train NAME`` follows.

The numbers were found by trial on a 2-core CPU (each network trains in a few minutes); the manifest
records the recipe next to the accuracy it produced.
"""

from __future__ import annotations

from playground.train.loop import TrainConfig

RECIPES: dict[str, TrainConfig] = {
    "lenet": TrainConfig(epochs=30, lr=1e-3, batch_size=36, schedule="cosine"),
    "alexnet": TrainConfig(epochs=15, lr=1e-3, batch_size=64, schedule="cosine"),
    "vgg": TrainConfig(epochs=30, lr=1e-3, batch_size=64, schedule="cosine"),
    "googlenet": TrainConfig(epochs=16, lr=2e-3, batch_size=64, schedule="cosine"),
    "resnet": TrainConfig(epochs=12, lr=2e-3, batch_size=64, schedule="cosine"),
    "mobilenet_v1": TrainConfig(epochs=15, lr=3e-3, batch_size=64, schedule="cosine"),
    "mobilenet_v2": TrainConfig(epochs=15, lr=3e-3, batch_size=64, schedule="cosine"),
    "densenet": TrainConfig(epochs=12, lr=2e-3, batch_size=64, schedule="cosine"),
}
