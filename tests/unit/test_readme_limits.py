"""The README's "Limits" table and playground/limits.py say the same thing.

Every constant in limits.py is named in the table's last column, and its value is written in the same row (as
the README writes numbers: 1,024, 1e-5, 10 MB); a name in the table that limits.py lacks is an error too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playground import limits

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Limits"):README.index("\n## ", README.index("## Limits") + 1)]
ROWS = [line.split(" | ") for line in SECTION.splitlines() if line.startswith("| ") and "`" in line]
NAMED = {name: row[1] for row in ROWS for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row[-1])}
CONSTANTS = {name: getattr(limits, name) for name in dir(limits) if re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}


def _written(value) -> list[str]:
    """The ways the README writes ``value``."""
    if isinstance(value, str):
        return [value, value.replace("mb", " MB")]
    if isinstance(value, tuple):  # (1, 2, 4) → "1, 2 and 4"
        *most, last = (_written(item)[0] for item in value)
        return [f"{', '.join(most)} and {last}"]
    if float(value).is_integer() and abs(value) < 1e6:
        return [f"{int(value):,}"]
    if isinstance(value, int):
        return [f"{value:,}"]
    return [re.sub(r"e\+?(-?)0*(\d+)", r"e\1\2", f"{value:g}")]  # 1e-05 → 1e-5, 1e+06 → 1e6


def test_every_limit_is_in_the_table_and_nothing_else():
    assert ROWS, "the README has no limits table"
    assert set(NAMED) == set(CONSTANTS)


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_the_table_gives_the_value_of(name):
    cell = NAMED.get(name, "")
    forms = _written(CONSTANTS[name])
    assert any(re.search(r"(?<![\d.,])" + re.escape(form) + r"(?!\d|[.,]\d)", cell) for form in forms), \
        f"{name} = {CONSTANTS[name]!r}: the README's row says {cell!r}"
