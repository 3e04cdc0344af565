"""Write the example images that ship in ``assets/examples/``: ``python -m playground.data.build_examples``.

* Four photographs from scikit-image's sample data (``skimage/data`` in its wheel; public domain / CC0, see
  ``assets/README.md``), resized so the longer side is 480 px and saved as JPEG. Pass the wheel's path
  (``pip download scikit-image --no-deps``) or have scikit-image installed.
* Six coloured digits from the bundled held-out set, as the CNNs see them (32×32), enlarged ×4 without
  smoothing so every pixel stays visible (the app's box-filter resize gives back the exact 32×32 pixels).
* Three held-out digit scenes for the segmentation tab (64×64, enlarged ×4 the same way).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import zipfile
from pathlib import Path

from PIL import Image

from playground.data.digits import held_out_pictures
from playground.data.scenes import held_out_scenes

OUT = Path(__file__).resolve().parents[2] / "assets" / "examples"
PHOTOS = {"chelsea.png": "cat.jpg", "coffee.png": "coffee.jpg", "astronaut.png": "astronaut.jpg",
          "rocket.jpg": "rocket.jpg"}
DIGIT_SAMPLES = (0, 130, 255, 371, 512, 777)  # indices into the held-out set: a variety of digits and colours
SCENE_SAMPLES = (4, 16, 56)  # indices into the held-out scenes: three and four digits, some overlapping
LONG_SIDE = 480


def _photo_bytes(source: Path | None) -> dict[str, bytes]:
    if source is not None and source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return {name: wheel.read(f"skimage/data/{name}") for name in PHOTOS}
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("give the scikit-image wheel: pip download scikit-image --no-deps; then pass its path")
    folder = Path(spec.submodule_search_locations[0]) / "data"
    return {name: (folder / name).read_bytes() for name in PHOTOS}


def build(source: Path | None = None, out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _photo_bytes(source).items():
        image = Image.open(io.BytesIO(data)).convert("RGB")
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.LANCZOS)
        path = out / PHOTOS[name]
        image.save(path, quality=88, optimize=True)
        written.append(path)
    pictures, labels = held_out_pictures()
    for index in DIGIT_SAMPLES:
        array = (pictures[index].permute(1, 2, 0).numpy() * 255).round().astype("uint8")
        path = out / f"digit-{int(labels[index])}.png"
        Image.fromarray(array).resize((128, 128), Image.NEAREST).save(path)
        written.append(path)
    return written + build_scenes(out)


def build_scenes(out: Path = OUT) -> list[Path]:
    pictures, _ = held_out_scenes()
    written = []
    for number, index in enumerate(SCENE_SAMPLES, start=1):
        array = (pictures[index].permute(1, 2, 0).numpy() * 255).round().astype("uint8")
        path = out / f"scene-{number}.png"
        Image.fromarray(array).resize((256, 256), Image.NEAREST).save(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", type=Path, help="scikit-image wheel (optional if installed)")
    for path in build(parser.parse_args().source):
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
