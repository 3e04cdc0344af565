"""How the learner's picture became a network's input, in words: the preprocessing steps ("original 640×480 →
pad to 640×640 → resize to 32×32 → normalise") after the network's name, and one bullet per note on reading
the file. The feature-map, segmentation and ViT views all show it this way."""

from __future__ import annotations

from collections.abc import Sequence

from playground.i18n import t
from playground.lessons.images import Note


def steps_line(label: str, key: str, steps: Sequence[Note], *, lang: str = "en", **params: object) -> str:
    """"**network** · " and the tab's sentence ``key``, whose ``{steps}`` is the steps joined by arrows."""
    shown = " → ".join(t(step.key, lang, **step.params) for step in steps)
    return f"**{label}** · " + t(key, lang, steps=shown, **params)


def note_lines(notes: Sequence[Note], *, lang: str = "en") -> list[str]:
    """One Markdown bullet per note."""
    return [f"- {t(note.key, lang, **note.params)}" for note in notes]


def steps_markdown(label: str, key: str, steps: Sequence[Note], notes: Sequence[Note], *, lang: str = "en",
                   **params: object) -> str:
    """The steps line, then the notes as bullets."""
    return "\n".join([steps_line(label, key, steps, lang=lang, **params), *note_lines(notes, lang=lang)])
