"""The bundled text: a faithful snapshot of Python's docs, a fixed vocabulary, a fixed split, seeded windows."""

from __future__ import annotations

import sys

import pytest
import torch

from playground.data.text import (
    CORPUS_FILE,
    CORPUS_MAX_CHARS,
    CORPUS_PYTHON,
    HELD_OUT_FRACTION,
    UNKNOWN,
    Vocab,
    batches,
    corpus_split,
    corpus_vocab,
    load_corpus,
    snapshot_text,
    split_ids,
)


def test_the_corpus_is_utf8_english_of_the_promised_size():
    raw = CORPUS_FILE.read_bytes()
    text = raw.decode("utf-8")  # raises if it is not UTF-8
    assert text == load_corpus()
    assert 300_000 <= len(text) <= CORPUS_MAX_CHARS + 1
    assert "\r" not in text and "\t" not in text
    assert "The " in text and "def " in text and '"' in text and "(" in text


@pytest.mark.skipif(".".join(map(str, sys.version_info[:3])) != CORPUS_PYTHON,
                    reason=f"the snapshot was taken from Python {CORPUS_PYTHON}'s pydoc_data")
def test_the_corpus_is_the_snapshot_of_this_pythons_pydoc_topics():
    from pydoc_data.topics import topics

    assert snapshot_text(topics) == load_corpus()


def test_snapshot_takes_whole_topics_in_sorted_order_within_the_budget():
    topics = {"b": "bb", "a": "aaa", "c": "cccc", "d": "d"}
    assert snapshot_text(topics, max_chars=100) == "aaa\n\nbb\n\ncccc\n\nd\n"
    assert snapshot_text(topics, max_chars=7) == "aaa\n\nbb\n"  # "c" would pass 7: stop there, whole topics only
    assert snapshot_text(topics, max_chars=2) == "\n"


def test_the_vocabulary_is_the_unknown_token_then_the_corpus_characters_sorted():
    vocab = corpus_vocab()
    assert vocab.chars[0] == UNKNOWN
    assert list(vocab.chars[1:]) == sorted(set(load_corpus()))
    assert len(set(vocab.chars)) == len(vocab)
    assert vocab.encode(load_corpus()).unknown == {}  # every corpus character is known


def test_encode_and_decode_round_trip_known_text():
    vocab = corpus_vocab()
    text = 'for x in range(3):\n    print("“quoted” — ok")'
    encoded = vocab.encode(text)
    assert encoded.ids.dtype == torch.int64 and encoded.ids.shape == (len(text),)
    assert bool((encoded.ids > 0).all())
    assert vocab.decode(encoded.ids) == text
    assert encoded.unknown == {} and encoded.unknown_count == 0


def test_unknown_characters_become_the_unknown_token_and_are_reported():
    vocab = corpus_vocab()
    text = "a你\x00好😀你\tb"
    encoded = vocab.encode(text)
    assert encoded.ids.tolist()[1:7] == [0] * 6
    assert encoded.ids[0] == vocab.index["a"] and encoded.ids[-1] == vocab.index["b"]
    assert encoded.unknown == {"你": 2, "\x00": 1, "好": 1, "😀": 1, "\t": 1}
    assert list(encoded.unknown) == ["你", "\x00", "好", "😀", "\t"]  # order of first appearance
    assert encoded.unknown_count == 6
    assert vocab.decode(encoded.ids) == f"a{UNKNOWN * 6}b"


def test_the_unknown_marker_itself_is_never_a_known_character():
    vocab = Vocab.from_text(f"ab{UNKNOWN}")
    assert vocab.chars == (UNKNOWN, "a", "b")
    assert vocab.encode(UNKNOWN).unknown == {UNKNOWN: 1}


def test_the_split_is_contiguous_and_holds_out_the_last_tenth():
    split = corpus_split()
    ids = corpus_vocab().encode(load_corpus()).ids
    assert torch.equal(torch.cat([split.train, split.held_out]), ids)
    assert len(split.held_out) == round(len(ids) * HELD_OUT_FRACTION)
    small = split_ids(torch.arange(20))
    assert small.train.tolist() == list(range(18)) and small.held_out.tolist() == [18, 19]


def test_batches_are_seeded_windows_with_targets_shifted_by_one():
    ids = torch.arange(1000)
    first = batches(ids, batch_size=4, seq_len=16, seed=3)
    again = batches(ids, batch_size=4, seq_len=16, seed=3)
    other = batches(ids, batch_size=4, seq_len=16, seed=4)
    for _ in range(3):
        x, y = next(first)
        x2, y2 = next(again)
        assert x.shape == y.shape == (4, 16)
        assert torch.equal(x, x2) and torch.equal(y, y2)
        assert torch.equal(y, x + 1)  # on arange, "the next character" is +1: windows are contiguous
        assert int(x.min()) >= 0 and int(y.max()) <= 999
    assert not torch.equal(next(other)[0], next(batches(ids, batch_size=4, seq_len=16, seed=3))[0])


def test_batches_cover_the_ends_and_refuse_windows_that_do_not_fit():
    starts = set()
    for _, (x, _y) in zip(range(200), batches(torch.arange(12), batch_size=8, seq_len=10, seed=0), strict=False):
        starts.update(x[:, 0].tolist())
    assert starts == {0, 1}  # the only two windows of 10 + 1 in 12 ids
    with pytest.raises(ValueError):
        next(batches(torch.arange(5), batch_size=1, seq_len=5, seed=0))
