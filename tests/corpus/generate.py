"""Write the hostile-input corpus as files: ``python -m tests.corpus.generate`` (``--check`` only compares).

The files in ``tests/corpus/files/`` are what a learner could upload — pictures (``images.py``) and CSV files of
points (``tables.py``) — with ``MANIFEST.tsv`` saying, for each, what the app must do: ``error`` with the message
it must give, or ``ok``. Files above ``COMMITTED_BYTES`` (a million-row CSV) are not kept in the repository; the
tests make them with this same code (``materialise``). Run this after changing a builder; the unit tests check
that the committed files, the manifest and the builders agree.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from tests.corpus import images, tables

FOLDER = Path(__file__).resolve().parent / "files"
MANIFEST = FOLDER / "MANIFEST.tsv"
COMMITTED_BYTES = 1_000_000
COLUMNS = ("name", "kind", "expect", "message_key", "bytes", "sha256", "committed")


def build() -> dict[str, tuple[str, bytes, tuple[str, str | None]]]:
    """name → (kind, bytes, (expect, i18n key or None)), kind "image" or "csv"."""
    built = {name: ("image", data, expected) for name, (data, expected) in images.corpus().items()}
    built |= {name: ("csv", data, expected) for name, (data, expected) in tables.corpus().items()}
    return built


def manifest_rows(built: dict) -> list[dict[str, str]]:
    return [{"name": name, "kind": kind, "expect": expect, "message_key": key or "-", "bytes": str(len(data)),
             "sha256": hashlib.sha256(data).hexdigest(), "committed": "yes" if len(data) <= COMMITTED_BYTES else "no"}
            for name, (kind, data, (expect, key)) in sorted(built.items())]


def read_manifest(path: Path = MANIFEST) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = tuple(lines[0].split("\t"))
    assert header == COLUMNS, f"{path}: unexpected columns {header}"
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:] if line]


def materialise(folder: Path) -> Path:
    """The whole corpus in ``folder``: the committed files copied, the large ones made here."""
    folder.mkdir(parents=True, exist_ok=True)
    built = None
    for row in read_manifest():
        if row["committed"] == "yes":
            data = (FOLDER / row["name"]).read_bytes()
        else:
            built = built or build()
            data = built[row["name"]][1]
        (folder / row["name"]).write_bytes(data)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ from the builders")
    args = parser.parse_args(argv)
    built = build()
    rows = manifest_rows(built)
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(row[c] for c in COLUMNS) + "\n" for row in rows)
    if args.check:
        stale = [row["name"] for row in rows if row["committed"] == "yes" and (
            not (FOLDER / row["name"]).exists() or (FOLDER / row["name"]).read_bytes() != built[row["name"]][1])]
        if not MANIFEST.exists() or MANIFEST.read_text(encoding="utf-8") != text:
            stale.append(MANIFEST.name)
        print("\n".join(stale) or "the corpus files match their builders")
        return 1 if stale else 0
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.iterdir():
        if old.name not in built and old.name != MANIFEST.name:
            old.unlink()
    for row in rows:
        if row["committed"] == "yes":
            (FOLDER / row["name"]).write_bytes(built[row["name"]][1])
    MANIFEST.write_text(text, encoding="utf-8")
    print(f"{sum(r['committed'] == 'yes' for r in rows)} files written to {FOLDER}, "
          f"{sum(r['committed'] == 'no' for r in rows)} made at test time; manifest {MANIFEST.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
