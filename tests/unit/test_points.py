"""2-D points for the MLP playground: seeded, balanced generators and a strict, helpful CSV parser."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import pytest
import torch

from playground.data.points import DATASETS, RADIUS, TWO_CLASSES_ONLY, make_points, parse_points_csv, points_to_csv
from playground.errors import InputError
from playground.limits import MAX_MLP_CLASSES, MAX_MLP_CSV_BYTES, MAX_MLP_POINTS

MULTI_CLASS = [name for name in DATASETS if name not in TWO_CLASSES_ONLY]


def _key(source) -> str:
    with pytest.raises(InputError) as info:
        parse_points_csv(source)
    return info.value.key


# --- generators ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_the_same_seed_gives_the_same_points_and_another_seed_others(name):
    a = make_points(name, count=101, noise=0.2, seed=7)
    b = make_points(name, count=101, noise=0.2, seed=7)
    c = make_points(name, count=101, noise=0.2, seed=8)
    assert torch.equal(a.xy, b.xy) and torch.equal(a.labels, b.labels)
    assert not torch.equal(a.xy, c.xy)
    assert a.xy.dtype == torch.float32 and a.xy.shape == (101, 2) and a.labels.dtype == torch.int64


@pytest.mark.parametrize("name, classes", [(n, 2) for n in DATASETS] + [(n, k) for n in MULTI_CLASS for k in (3, 5)])
def test_classes_are_balanced(name, classes):
    points = make_points(name, count=203, noise=0.3, classes=classes, seed=1)
    counts = torch.bincount(points.labels, minlength=classes)
    assert len(counts) == classes and counts.sum() == 203
    assert int(counts.max() - counts.min()) <= 1
    assert points.class_names == tuple(str(k) for k in range(classes))


@pytest.mark.parametrize("name", DATASETS)
def test_clean_points_stay_in_the_square(name):
    points = make_points(name, count=400, noise=0.0, seed=3)
    assert points.xy.abs().max() <= 6.0


def test_circles_are_rings_around_the_centre():
    points = make_points("circles", count=600, noise=0.0, classes=3, seed=0)
    radius = points.xy.norm(dim=1)
    band = RADIUS / 3
    for k in range(3):
        ring = radius[points.labels == k]
        assert ring.min() >= k * band and ring.max() <= (k + 1) * band  # class k is the k-th ring


def test_xor_labels_follow_the_signs():
    points = make_points("xor", count=300, noise=0.0, seed=0)
    same_sign = (points.xy[:, 0] * points.xy[:, 1] > 0).long()
    assert torch.equal(same_sign, 1 - points.labels)  # class 0: x and y have the same sign


def test_noise_moves_the_points():
    clean = make_points("spiral", count=200, noise=0.0, seed=5)
    noisy = make_points("spiral", count=200, noise=1.0, seed=5)
    assert torch.equal(clean.labels, noisy.labels) and not torch.allclose(clean.xy, noisy.xy)


@pytest.mark.parametrize("kwargs, key", [
    (dict(name="xor", classes=3), "mlp.err.two_classes_only"),
    (dict(name="moons", classes=4), "mlp.err.two_classes_only"),
    (dict(name="banana"), "mlp.err.dataset"),
    (dict(name="blobs", classes=MAX_MLP_CLASSES + 1), "common.err.out_of_range"),
    (dict(name="blobs", count=MAX_MLP_POINTS + 1), "common.err.out_of_range"),
    (dict(name="blobs", noise=math.nan), "common.err.not_finite"),
    (dict(name="blobs", seed=-1), "common.err.out_of_range"),
    (dict(name="blobs", count=12.5), "common.err.not_whole"),
])
def test_bad_generator_settings_are_clear_errors(kwargs, key):
    name = kwargs.pop("name")
    with pytest.raises(InputError) as info:
        make_points(name, **kwargs)
    assert info.value.key == key


# --- the learner's CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "x,y,label\n1.5,-2,0\n0,1,1\n3,3,0\n-1,-1,1\n",  # header
    "1.5,-2,0\n0,1,1\n3,3,0\n-1,-1,1",  # no header
    "x;y;label\n1,5;-2;0\n0;1;1\n3;3;0\n-1;-1;1\n",  # semicolons with decimal commas
    "x\ty\tlabel\n1.5\t-2\t0\n0\t1\t1\n3\t3\t0\n-1\t-1\t1\n",  # tabs
    "1.5 -2 0\n0 1 1\n3 3 0\n-1 -1 1\n",  # spaces
    "\ufeffx,y,label\r\n1.5,-2,0\r\n\r\n# a comment\r\n0,1,1\r\n3,3,0\r\n-1,-1,1\r\n",  # BOM, CRLF, blanks, comment
    '"x","y","label"\n"1.5","-2","0"\n0,1,"1"\n3,3,0\n-1,-1,1\n',  # quoted
])
def test_csv_dialects(text):
    points = parse_points_csv(text)
    assert points.xy.tolist() == [[1.5, -2.0], [0.0, 1.0], [3.0, 3.0], [-1.0, -1.0]]
    assert points.labels.tolist() == [0, 1, 0, 1] and points.class_names == ("0", "1")


def test_labels_are_classes_in_a_natural_order():
    numbers = parse_points_csv("0,0,10\n1,1,-1\n2,2,2\n3,3,10\n4,4,1")
    assert numbers.class_names == ("-1", "1", "2", "10")  # numerically, not as text
    assert numbers.labels.tolist() == [3, 0, 2, 3, 1]
    names = parse_points_csv("x,y,animal\n0,0,dog\n1,1,cat\n2,2,dog\n3,3,cat")
    assert names.class_names == ("cat", "dog") and names.labels.tolist() == [1, 0, 1, 0]


def test_a_quoted_label_may_hold_the_delimiter():
    points = parse_points_csv('x,y,label\n0,0,"cat, black"\n1,1,dog\n2,2,"cat, black"\n3,3,dog')
    assert points.class_names == ("cat, black", "dog") and points.labels.tolist() == [0, 1, 0, 1]
    assert parse_points_csv(points_to_csv(points)).class_names == points.class_names  # and it round-trips


def test_a_file_path_bytes_and_text_give_the_same_points(tmp_path):
    text = "x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n"
    path = tmp_path / "points.csv"
    path.write_text(text, encoding="utf-8")
    for source in (text, text.encode(), path):
        points = parse_points_csv(source)
        assert points.xy[-1].tolist() == [7.0, 8.0] and points.class_names == ("a", "b")


def test_a_string_is_never_opened_as_a_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("1,2,a\n3,4,b\n5,6,a\n7,8,b\n")
    assert _key(str(path)) == "mlp.err.csv_columns"  # parsed as one line of text, not read


def test_labels_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_they_were():
    labels = ["=HYPERLINK(\"e.xx\")", "@SUM(A1)", "=cmd|' /C calc'!A0", "+1+1", "-1"]
    points = parse_points_csv("".join(f'{k},{k},"{name.replace(chr(34), chr(34) * 2)}"\n'
                                      for k, name in enumerate(labels)))
    written = points_to_csv(points)
    cells = [row.rsplit(",", 1)[-1] for row in written.splitlines()[1:]]
    assert all(not cell.lstrip('"').startswith(("=", "+", "@")) for cell in cells), written
    assert "-1" in cells  # a number stays a number
    assert parse_points_csv(written).class_names == points.class_names


def test_written_points_read_back_exactly():
    points = make_points("moons", count=300, noise=0.3, seed=2)
    again = parse_points_csv(points_to_csv(points))
    assert torch.equal(again.xy, points.xy) and torch.equal(again.labels, points.labels)


@pytest.mark.parametrize("text, key, words", [
    ("", "mlp.err.csv_empty", "no points"),
    ("  \n\n# only a comment\n", "mlp.err.csv_empty", "no points"),
    ("x,y,label\n", "mlp.err.csv_empty", "no points"),
    ("1,2,a\n3,4,b\n5,six,a\n7,8,b", "mlp.err.csv_not_number", "Line 3: 'six'"),
    ("x,y,label\n1,2,a\n3,4\n5,6,a\n7,8,b", "mlp.err.csv_columns", "Line 3 has 2 values"),
    ("1,2,a,extra\n3,4,b\n5,6,a\n7,8,b", "mlp.err.csv_columns", "Line 1 has 4 values"),
    ("1,2,a\n3,nan,b\n5,6,a\n7,8,b", "mlp.err.csv_not_finite", "Line 2: 'nan'"),
    ("1,2,a\n3,4,b\n-inf,6,a\n7,8,b", "mlp.err.csv_not_finite", "Line 3"),
    ("1,2,a\n3,4,b\n1e300,6,a\n7,8,b", "mlp.err.csv_too_large_value", "Line 3"),
    ("1,2,a\n3,4,\n5,6,a\n7,8,b", "mlp.err.csv_missing_label", "Line 2"),
    ("1,2,a\n3,4," + "b" * 40 + "\n5,6,a\n7,8,b", "mlp.err.csv_bad_label", "Line 2"),
    ("1,2,a\n3,4,b\n5,6,a", "mlp.err.csv_too_few_points", "only 3 points"),
    ("1,2,a\n3,4,a\n5,6,a\n7,8,a", "mlp.err.csv_one_class", "'a'"),
    ("\n".join(f"{i},{i},c{i}" for i in range(MAX_MLP_CLASSES + 1)), "mlp.err.csv_too_many_classes", "7 different"),
    ("\n".join(f"{i % 9},{i % 7},{i % 2}" for i in range(MAX_MLP_POINTS + 1)), "mlp.err.csv_too_many_points",
     f"more than {MAX_MLP_POINTS} points"),
    ("1,2,a\n3,4,b\x00\n5,6,a\n7,8,b", "mlp.err.csv_not_text", "UTF-8"),
])
def test_bad_csv_text_gets_a_message_that_says_what_to_change(text, key, words):
    with pytest.raises(InputError) as info:
        parse_points_csv(text)
    assert info.value.key == key
    message = str(info.value)
    assert words in message
    assert info.value.message("zh") != message  # and in Chinese


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("1,2,a\n" * (MAX_MLP_CSV_BYTES // 6 + 1))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    assert _key(path) == "mlp.err.csv_too_big"
    assert _key("1,2,a\n" * (MAX_MLP_CSV_BYTES // 6 + 1)) == "mlp.err.csv_too_big"  # pasted text too


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),  # a picture
    "1,2,a\n3,4,b\n5,6,a\n7,8,b\n".encode("utf-16"),  # UTF-16 (NUL bytes everywhere)
    b"1,2,\xff\xfe\n3,4,b\n",  # not UTF-8
    zlib.compress(b"1,2,a\n" * 1000),  # compressed
])
def test_binary_files_are_refused_as_not_text(tmp_path, data):
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    assert _key(path) == "mlp.err.csv_not_text"
