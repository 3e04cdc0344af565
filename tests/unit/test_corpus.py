"""The hostile-input corpus itself: files, manifest and builders agree, and every CSV does what the manifest says.

(Pictures are read in test_images; every file goes to every endpoint that takes one in tests/app/test_hostile_files.)
"""

from __future__ import annotations

import hashlib

import pytest

from playground.data.points import parse_points_csv
from playground.errors import InputError
from tests.corpus import generate, tables

ROWS = {row["name"]: row for row in generate.read_manifest()}
TABLES = tables.corpus()


def test_the_committed_files_are_what_the_generator_makes(capsys):
    assert generate.main(["--check"]) == 0, capsys.readouterr().out
    committed = {path.name for path in generate.FOLDER.iterdir()} - {generate.MANIFEST.name}
    assert committed == {name for name, row in ROWS.items() if row["committed"] == "yes"}


def test_the_test_folder_holds_every_file_with_its_manifest_hash(tmp_path):
    folder = generate.materialise(tmp_path / "corpus")
    assert {path.name for path in folder.iterdir()} == set(ROWS)
    for name, row in ROWS.items():
        data = (folder / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (int(row["bytes"]), row["sha256"]), name
    assert int(ROWS["csv-million-rows.csv"]["bytes"]) > 5_000_000 and ROWS["csv-million-rows.csv"]["committed"] == "no"


@pytest.mark.parametrize("name", sorted(name for name, row in ROWS.items() if row["kind"] == "csv"))
def test_every_csv_is_read_or_refused_with_its_message(name):
    data, (expect, key) = TABLES[name]
    if expect == "error":
        with pytest.raises(InputError) as info:
            parse_points_csv(data)
        assert info.value.key == key == ROWS[name]["message_key"]
        assert info.value.message("zh") and info.value.message("en")
    else:
        points = parse_points_csv(data)
        assert len(points.class_names) >= 2 and len(points.labels) >= 4

