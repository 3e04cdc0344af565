"""``python -m playground.train NAME [NAME ...] | all [--epochs N]``: train the bundled networks (the eight
classifiers, the FCN, the character models, then the attention networks).

Each run starts from a fixed seed, follows ``playground/train/recipes.py``, and writes
``pretrained/<name>.safetensors`` plus its record (sha256, data, split, held-out accuracy) in
``pretrained/manifest.json``.
"""

from __future__ import annotations

import argparse

from playground.train.attention import ATTENTION_MODELS, train_date_transformer, train_vit
from playground.train.bundled import train_bundled
from playground.train.language import LANGUAGE_MODELS, train_language_model
from playground.train.recipes import RECIPES
from playground.train.segmentation import train_fcn

# the classifiers, then the FCN (its backbone starts from the bundled ResNet), the character models, attention
NAMES = [*RECIPES, "fcn", *LANGUAGE_MODELS, *ATTENTION_MODELS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+", help=f"network names or 'all' ({', '.join(NAMES)})")
    parser.add_argument("--epochs", type=int, help="override the recipe's epochs, or the steps of the FCN, the "
                        "character models and the Transformer (a quick try)")
    args = parser.parse_args()
    names = NAMES if args.names == ["all"] else args.names
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        parser.error(f"no recipe for {', '.join(unknown)}; choose from {', '.join(NAMES)} or 'all'")
    for name in names:
        print(f"== {name}", flush=True)
        if name == "fcn":
            record = train_fcn(steps=args.epochs, on_report=lambda step, loss, miou, accuracy: print(
                f"step {step:>5}  loss {loss:.3f}  held-out mean IoU {miou:.3f}  pixel accuracy {accuracy:.3f}",
                flush=True))
            print(f"   held-out mean IoU {record['metrics']['held_out_mean_iou']:.3f} → pretrained/{record['file']}",
                  flush=True)
            continue
        if name == "transformer":
            record = train_date_transformer(steps=args.epochs, on_report=lambda step, loss, match: print(
                f"step {step:>5}  loss {loss:.4f}  held-out exact match (300 dates) {match:.3f}", flush=True))
            metrics = record["metrics"]
            print(f"   held-out exact match {metrics['held_out_exact_match']:.2%}, unseen formats "
                  f"{metrics['unseen_format_exact_match']:.2%} → pretrained/{record['file']}", flush=True)
            continue
        if name == "vit":
            record = train_vit(epochs=args.epochs, on_epoch=lambda epoch, loss, accuracy: print(
                f"epoch {epoch:>3}  loss {loss:.3f}  held-out accuracy {accuracy:.3f}", flush=True))
            print(f"   held-out accuracy {record['metrics']['held_out_accuracy']:.2%} → pretrained/{record['file']}",
                  flush=True)
            continue
        if name in LANGUAGE_MODELS:
            record = train_language_model(name, steps=args.epochs, on_report=lambda step, bits: print(
                f"step {step:>5}  train bits/char {bits:.3f}", flush=True))
            metrics = record["metrics"]
            print(f"   held-out bits/char {metrics['held_out_bits_per_char']:.3f} (unigram "
                  f"{metrics['unigram_bits_per_char']:.3f}) → pretrained/{record['file']}", flush=True)
            continue
        record = train_bundled(name, epochs=args.epochs, on_epoch=lambda r: print(
            f"epoch {r.epoch:>3}/{r.epochs}  train loss {r.train_loss:.3f}  acc {r.train_accuracy:.3f}  "
            f"held-out acc {r.held_out_accuracy:.3f}  {r.seconds:6.1f} s  {r.images_per_second:,.0f} img/s",
            flush=True))
        print(f"   held-out accuracy {record['metrics']['held_out_accuracy']:.2%} → pretrained/{record['file']} "
              f"({record['bytes'] / 1e3:.0f} kB, sha256 {record['sha256'][:12]}…)", flush=True)


if __name__ == "__main__":
    main()
