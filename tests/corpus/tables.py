"""Hostile and unusual CSV files of points (the MLP playground's upload): name → (bytes, expectation).

Expectation is ("error", i18n key) or ("ok", None): what ``playground.data.points.parse_points_csv`` must do.
"""

from __future__ import annotations

from playground.limits import MAX_MLP_CLASSES, MAX_MLP_CSV_BYTES, MAX_MLP_LABEL_CHARS, MAX_MLP_POINTS

GOOD_ROWS = ["1.5,-2,cat", "0,1,dog", "2,2,cat", "-1,0,dog"]


def _lines(*rows: str, newline: str = "\n") -> bytes:
    return (newline.join(rows) + newline).encode("utf-8")


def corpus() -> dict[str, tuple[bytes, tuple[str, str | None]]]:
    return {
        # files that are not CSV text at all
        "csv-empty.csv": (b"", ("error", "mlp.err.csv_empty")),
        "csv-blank-lines.csv": (b"\n\n   \n\t\n", ("error", "mlp.err.csv_empty")),
        "csv-header-only.csv": (_lines("x,y,label"), ("error", "mlp.err.csv_empty")),
        "csv-picture.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", ("error", "mlp.err.csv_not_text")),
        "csv-utf16.csv": ("x,y,label\n1,2,a\n3,4,b\n".encode("utf-16"), ("error", "mlp.err.csv_not_text")),
        "csv-latin1.csv": ("x,y,label\n1,2,café\n3,4,thé\n5,6,café\n7,8,thé\n".encode("latin-1"),
                           ("error", "mlp.err.csv_not_text")),
        "csv-nul.csv": (b"1,2,a\n3,4\x00,b\n5,6,a\n7,8,b\n", ("error", "mlp.err.csv_not_text")),
        # missing or extra columns, wrong separators
        "csv-missing-column.csv": (_lines("x,y", "1,2", "3,4", "5,6", "7,8"), ("error", "mlp.err.csv_columns")),
        "csv-extra-column.csv": (_lines("1,2,a", "3,4,b,c", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_columns")),
        "csv-pipe-separated.csv": (_lines("1|2|a", "3|4|b", "5|6|a", "7|8|b"), ("error", "mlp.err.csv_columns")),
        "csv-missing-label.csv": (_lines("1,2,a", "3,4,", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_missing_label")),
        # values
        "csv-words.csv": (_lines("x,y,label", "1,2,a", "three,4,b", "5,6,a", "7,8,b"),
                          ("error", "mlp.err.csv_not_number")),
        "csv-nan.csv": (_lines("1,2,a", "3,nan,b", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_not_finite")),
        "csv-inf.csv": (_lines("1,2,a", "-inf,4,b", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_not_finite")),
        "csv-1e308.csv": (_lines("1,2,a", "1e308,4,b", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_too_large_value")),
        "csv-long-label.csv": (_lines("1,2,a", "3,4," + "b" * (MAX_MLP_LABEL_CHARS + 1), "5,6,a", "7,8,b"),
                               ("error", "mlp.err.csv_bad_label")),
        "csv-control-label.csv": (_lines("1,2,a", "3,4,b\x07", "5,6,a", "7,8,b"), ("error", "mlp.err.csv_bad_label")),
        "csv-rtl-override-label.csv": (_lines("1,2,a", "3,4,\u202eb", "5,6,a", "7,8,b"),
                                       ("error", "mlp.err.csv_bad_label")),
        # counts
        "csv-one-class.csv": (_lines("1,2,a", "3,4,a", "5,6,a", "7,8,a"), ("error", "mlp.err.csv_one_class")),
        "csv-too-few-points.csv": (_lines("1,2,a", "3,4,b", "5,6,a"), ("error", "mlp.err.csv_too_few_points")),
        "csv-too-many-classes.csv": (_lines(*(f"{k},{k},c{k}" for k in range(MAX_MLP_CLASSES + 1))),
                                     ("error", "mlp.err.csv_too_many_classes")),
        "csv-too-many-points.csv": (_lines(*(f"{k % 7},{k % 5},{k % 2}" for k in range(MAX_MLP_POINTS + 1))),
                                    ("error", "mlp.err.csv_too_many_points")),
        "csv-over-size-limit.csv": (b"1,2,a\n" * (MAX_MLP_CSV_BYTES // 6 + 1), ("error", "mlp.err.csv_too_big")),
        # a million rows: 6 MB, under the 10 MB upload limit, far over the CSV limit (refused before parsing)
        "csv-million-rows.csv": (b"x,y,label\n" + b"1,2,a\n" * 1_000_000, ("error", "mlp.err.csv_too_big")),
        # unusual but fine: what spreadsheet programs and people write
        "csv-semicolon-decimal-comma.csv": (_lines("x;y;label", "1,5;-2;cat", "0;1;dog", "2;2,25;cat", "-1;0;dog"),
                                            ("ok", None)),
        "csv-tabs.csv": (_lines(*(row.replace(",", "\t") for row in GOOD_ROWS)), ("ok", None)),
        "csv-spaces.csv": (_lines(*(row.replace(",", "  ") for row in GOOD_ROWS)), ("ok", None)),
        "csv-bom-crlf.csv": (b"\xef\xbb\xbf" + _lines("x,y,label", *GOOD_ROWS, newline="\r\n"), ("ok", None)),
        "csv-quoted.csv": (_lines('"x","y","label"', *('"' + row.replace(",", '","') + '"' for row in GOOD_ROWS)),
                           ("ok", None)),
        "csv-comments.csv": (_lines("# points I drew", "x,y,label", "", *GOOD_ROWS, "# the end"), ("ok", None)),
        "csv-cjk-emoji-labels.csv": (_lines("1,2,猫", "3,4,🐶", "5,6,猫", "7,8,🐶", "1,1,שלום"), ("ok", None)),
        "csv-integer-labels.csv": (_lines("1,2,10", "3,4,-1", "5,6,2", "7,8,10"), ("ok", None)),
    }
