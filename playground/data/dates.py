"""Date normalisation, the seq2seq task of the attention tab (primer §13–§14): many human ways of writing a
date → ISO 8601 (``2026-11-26``).

A task whose attention a learner can read: to write the year the decoder must look at the year, to write the
month at the month's name or number, to write the day at the day. Pairs are drawn from a seeded generator, so
nothing is stored: ``pairs(n, seed=...)`` gives the same list on every machine.

Formats are split in two. ``TRAIN_FORMATS`` make the training pairs and the held-out pairs (other dates, other
seed); ``UNSEEN_FORMATS`` are never trained on and measure, honestly, how far the network generalises to a way
of writing it never saw. Day-first and month-first numeric forms are not mixed (``03/04/2026`` would be
ambiguous): numeric forms are day first, as in most of the world, except year-first ones.

Two-digit years mean 2000–2099, so formats with them are only drawn for those years.

    >>> pairs(2, seed=0)
    [('Thursday, 1 April 2038', '2038-04-01'), ('5 December 2050', '2050-12-05')]
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import torch

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHINESE_WEEKDAYS = "一二三四五六日"
TRAIN_SEED = 0
HELD_OUT_SEED = 1_000_003  # the held-out dates, fixed forever
UNSEEN_SEED = 2_000_003
HELD_OUT_PER_MILLE = 100  # a tenth of all days

# Every character a source date may contain; anything else a learner types becomes the unknown token.
SOURCE_ALPHABET = ("0123456789 ,./-'" "abcdefghijklmnopqrstuvwxyz" "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "年月日星期" + "一二三四五六")
TARGET_ALPHABET = "0123456789-"


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


@dataclass(frozen=True)
class DateFormat:
    """One way of writing a date; ``two_digit_year`` formats are only drawn for 2000–2099."""

    name: str
    write: Callable[[dt.date], str]
    two_digit_year: bool = False


def _f(name: str, write: Callable[[dt.date], str], two_digit_year: bool = False) -> DateFormat:
    return DateFormat(name, write, two_digit_year)


TRAIN_FORMATS: tuple[DateFormat, ...] = (
    _f("Thursday, 26 November 2026", lambda d: f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"),
    _f("26 November 2026", lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}"),
    _f("November 26, 2026", lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}"),
    _f("Nov 26th 2026", lambda d: f"{MONTHS[d.month - 1][:3]} {_ordinal(d.day)} {d.year}"),
    _f("Thu 26 Nov 2026", lambda d: f"{WEEKDAYS[d.weekday()][:3]} {d.day} {MONTHS[d.month - 1][:3]} {d.year}"),
    _f("26-Nov-2026", lambda d: f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}"),
    _f("26 nov 2026", lambda d: f"{d.day} {MONTHS[d.month - 1][:3].lower()} {d.year}"),
    _f("26/11/2026", lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    _f("26/11/26", lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", two_digit_year=True),
    _f("26.11.2026", lambda d: f"{d.day}.{d.month}.{d.year}"),
    _f("2026/11/26", lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}"),
    _f("20261126", lambda d: f"{d.year}{d.month:02d}{d.day:02d}"),
    _f("2026年11月26日", lambda d: f"{d.year}年{d.month}月{d.day}日"),
    _f("2026年11月26日 星期四", lambda d: f"{d.year}年{d.month}月{d.day}日 星期{CHINESE_WEEKDAYS[d.weekday()]}"),
    _f("NOVEMBER 26 2026", lambda d: f"{MONTHS[d.month - 1].upper()} {d.day} {d.year}"),
)

# Never trained on: pieces the network knows, put together in ways it never saw.
UNSEEN_FORMATS: tuple[DateFormat, ...] = (
    _f("the 26th of November, 2026", lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]}, {d.year}"),
    _f("26 Nov '26", lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} '{d.year % 100:02d}", two_digit_year=True),
    _f("2026-11-26", lambda d: d.isoformat()),
    _f("26.11.26", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}", two_digit_year=True),
)


def is_held_out(day: dt.date) -> bool:
    """One day in ten, scattered by a fixed hash, is never trained on (in any format)."""
    return (day.toordinal() * 2_654_435_761) % 1_000 < HELD_OUT_PER_MILLE


def _random_day(rng: random.Random, *, two_digit_year: bool, held_out: bool) -> dt.date:
    first = dt.date(2000, 1, 1) if two_digit_year else FIRST_DAY
    while True:  # rejection: a tenth of the days is the other split's
        day = first + dt.timedelta(days=rng.randrange((LAST_DAY - first).days + 1))
        if is_held_out(day) == held_out:
            return day


def pairs(n: int, *, seed: int, formats: tuple[DateFormat, ...] = TRAIN_FORMATS,
          held_out: bool = False) -> list[tuple[str, str]]:
    """``n`` (human date, ISO date) pairs; formats in turn (balanced), days drawn from ``seed`` among the
    training days (or, ``held_out=True``, among the held-out days)."""
    rng = random.Random(seed)
    out = []
    for index in range(n):
        form = formats[index % len(formats)]
        day = _random_day(rng, two_digit_year=form.two_digit_year, held_out=held_out)
        out.append((form.write(day), day.isoformat()))
    return out


def held_out_pairs(n: int = 1500) -> list[tuple[str, str]]:
    """Days never trained on, written in the training formats (100 per format by default)."""
    return pairs(n, seed=HELD_OUT_SEED, held_out=True)


def unseen_format_pairs(n: int = 400) -> list[tuple[str, str]]:
    """Days never trained on, written in formats never trained on: generalisation, reported apart."""
    return pairs(n, seed=UNSEEN_SEED, formats=UNSEEN_FORMATS, held_out=True)


def examples() -> list[str]:
    """One example per training format and per unseen format, all for the same day (the tab's examples)."""
    day = dt.date(2026, 11, 26)
    return [form.write(day) for form in (*TRAIN_FORMATS, *UNSEEN_FORMATS)]


# --- tokens ---------------------------------------------------------------------------------------------

PAD, UNKNOWN, BOS, EOS = 0, 1, 1, 2  # source: PAD, UNKNOWN + alphabet; target: PAD, BOS, EOS + alphabet
SOURCE_TOKENS = ("<pad>", "<unk>", *SOURCE_ALPHABET)
TARGET_TOKENS = ("<pad>", "<s>", "</s>", *TARGET_ALPHABET)
TARGET_LENGTH = len("2026-11-26")
_SOURCE_IDS = {char: index for index, char in enumerate(SOURCE_TOKENS) if index > UNKNOWN}
_TARGET_IDS = {char: index for index, char in enumerate(TARGET_TOKENS) if index > EOS}


def encode_source(text: str) -> list[int]:
    """One id per character; characters outside SOURCE_ALPHABET become UNKNOWN."""
    return [_SOURCE_IDS.get(char, UNKNOWN) for char in text]


def encode_target(iso: str) -> list[int]:
    """BOS, the ten characters of the ISO date, EOS."""
    return [BOS, *(_TARGET_IDS[char] for char in iso), EOS]


def decode_target(ids: list[int]) -> str:
    """The characters between BOS and the first EOS (or the end)."""
    out = []
    for index in ids:
        if index == EOS:
            break
        if index > EOS:
            out.append(TARGET_TOKENS[index])
    return "".join(out)


def batch(pairs_: list[tuple[str, str]]) -> tuple[torch.Tensor, torch.Tensor]:
    """(source (B, S) padded with PAD, target (B, 12) = BOS + ISO + EOS)."""
    sources = [encode_source(source) for source, _ in pairs_]
    width = max(map(len, sources))
    source = torch.tensor([ids + [PAD] * (width - len(ids)) for ids in sources], dtype=torch.long)
    target = torch.tensor([encode_target(iso) for _, iso in pairs_], dtype=torch.long)
    return source, target
