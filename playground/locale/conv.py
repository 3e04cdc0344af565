"""Strings of the conv tab."""

STRINGS: dict[str, tuple[str, str]] = {}
