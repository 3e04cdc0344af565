"""Train the bundled FCN on digit scenes: ``python -m playground.train fcn``.

The backbone starts from the bundled ResNet (trained on single digits: the primer's "load the weights of a
network trained on another task"), the 1×1 score convolutions from scratch and the transposed convolutions
from bilinear upsampling. Per-pixel cross-entropy, void pixels ignored, fresh scenes every step, one-cycle
learning rate. The manifest records the held-out mean IoU and pixel accuracy on the 200 fixed scenes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from playground import zoo
from playground.data.digits import normalize
from playground.data.scenes import (
    HELD_OUT_SCENE_SEED,
    HELD_OUT_SCENES,
    SCENE_SIZE,
    VOID,
    held_out_scenes,
    scene_batches,
)
from playground.train.bundled import save_bundled, write_manifest_record
from playground.train.loop import train_step
from playground.train.metrics import mean_iou


@dataclass(frozen=True)
class SegmentationRecipe:
    steps: int = 4000
    batch_size: int = 32
    lr: float = 3e-3  # the one-cycle schedule's peak
    seed: int = 0
    backbone: str = "resnet"  # the bundled classifier whose features start the backbone


RECIPE = SegmentationRecipe()
DATA_NOTE = (f"digit scenes made by playground.data.scenes: 1–4 coloured MNIST digits (assets/data/mnist_5k.npz) "
             f"on {SCENE_SIZE}×{SCENE_SIZE} textured backgrounds, fresh scenes every step from the 4,000 training "
             f"digits; class 0 background, 1 + d digit d; a 1-pixel void ring around the strokes is ignored")
SPLIT_NOTE = (f"{HELD_OUT_SCENES} held-out scenes from the 1,000 held-out digits only, seed {HELD_OUT_SCENE_SEED}")


def evaluate_segmenter(model: torch.nn.Module, *, batch: int = 50) -> tuple[float, float]:
    """(held-out mean IoU, pixel accuracy) of ``model`` on the fixed held-out scenes."""
    pictures, masks = held_out_scenes()
    x = normalize(pictures)
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(x[i : i + batch]).argmax(1) for i in range(0, len(x), batch)])
    miou, accuracy, _ = mean_iou(predicted, masks, len(zoo.get_entry("fcn").classes))
    return miou, accuracy


def train_fcn(*, steps: int | None = None, out_dir: Path = zoo.PRETRAINED,
              on_report: Callable[[int, float, float, float], None] | None = None) -> dict[str, Any]:
    """Train with ``RECIPE`` (``steps`` overrides its length); save the weights and the manifest record."""
    recipe = RECIPE if steps is None else SegmentationRecipe(**{**asdict(RECIPE), "steps": steps})
    entry = zoo.get_entry("fcn")
    torch.manual_seed(recipe.seed)
    model = entry.build()
    model.backbone.load_state_dict(zoo.load_bundled(recipe.backbone).features.state_dict())
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe.lr, total_steps=recipe.steps)
    start = time.perf_counter()
    curve = []
    for step, (x, masks) in enumerate(scene_batches(steps=recipe.steps, batch_size=recipe.batch_size,
                                                    seed=recipe.seed), start=1):
        loss = F.cross_entropy(model(x), masks, ignore_index=VOID)  # per pixel, void ignored
        train_step(model, optimizer, loss, schedule=schedule)
        if step % 500 == 0 or step == recipe.steps:
            miou, accuracy = evaluate_segmenter(model)
            model.train()
            curve.append(round(miou, 4))
            if on_report is not None:
                on_report(step, loss.item(), miou, accuracy)
    seconds = time.perf_counter() - start
    model = model.cpu().eval()
    miou, accuracy = evaluate_segmenter(model)

    record = save_bundled(entry, model, out_dir=out_dir, data=DATA_NOTE, split=SPLIT_NOTE,
                          metrics={"held_out_mean_iou": round(miou, 4), "held_out_pixel_accuracy": round(accuracy, 4)},
                          recipe=asdict(recipe), seconds=seconds, curve=curve)
    write_manifest_record(entry.name, record, manifest_path=out_dir / zoo.MANIFEST.name)
    return record
