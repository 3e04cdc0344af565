"""Attention (primer §13–§15): the layers against PyTorch's nn.MultiheadAttention, the masks, the date
Transformer's readings, the mechanism, ViT's weights (bundled and torchvision's) and attention rollout."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import torch
from torch import nn

from playground import zoo
from playground.data import dates
from playground.errors import InputError
from playground.lessons import attention as lesson
from playground.limits import MAX_DATE_CHARS
from playground.models.transformer import MultiHeadAttention, Seq2SeqTransformer, VisionTransformer, future_mask


def _torch_twin(ours: MultiHeadAttention) -> nn.MultiheadAttention:
    twin = nn.MultiheadAttention(ours.dim, ours.heads, batch_first=True)
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.cat([ours.q.weight, ours.k.weight, ours.v.weight]))
        twin.in_proj_bias.copy_(torch.cat([ours.q.bias, ours.k.bias, ours.v.bias]))
        twin.out_proj.weight.copy_(ours.out.weight)
        twin.out_proj.bias.copy_(ours.out.bias)
    return twin.eval()


@pytest.mark.parametrize("masked", [False, True])
def test_our_attention_equals_pytorchs_multihead_attention(masked):
    torch.manual_seed(0)
    ours = MultiHeadAttention(32, 4).eval()
    query, key = torch.randn(3, 7, 32), torch.randn(3, 9, 32)
    mask = torch.rand(7, 9) < 0.3 if masked else None
    if mask is not None:
        mask[:, 0] = False  # every query may look somewhere
    out, weights = ours(query, key, mask)
    want, want_weights = _torch_twin(ours)(query, key, key, attn_mask=mask, need_weights=True,
                                           average_attn_weights=False)
    torch.testing.assert_close(out, want, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(weights, want_weights, atol=1e-6, rtol=1e-5)
    # the output is the returned weights applied to the values: weights · V, heads concatenated, projected
    v = ours._split(ours.v(key))
    torch.testing.assert_close(ours.out((weights @ v).transpose(1, 2).flatten(2)), out)


def test_weights_are_returned_never_stored_on_the_module():
    layer = MultiHeadAttention(16, 2)
    before = set(vars(layer))
    layer(torch.randn(1, 4, 16), torch.randn(1, 4, 16))
    assert set(vars(layer)) == before and not any("weight" in name for name in layer._buffers)


def test_the_future_mask_hides_exactly_the_later_positions():
    mask = future_mask(4)
    assert mask.tolist() == [[False, True, True, True], [False, False, True, True],
                             [False, False, False, True], [False, False, False, False]]


@pytest.fixture(scope="module")
def model() -> Seq2SeqTransformer:
    return zoo.load_bundled("transformer")


@pytest.fixture(scope="module")
def reading(model) -> lesson.DateReading:
    return lesson.read_date(model, "Thursday, 26 November 2026")


def test_the_bundled_transformer_normalises_the_example_dates(model):
    for text in dates.examples()[: len(dates.TRAIN_FORMATS)]:
        assert lesson.read_date(model, text).output == "2026-11-26", text


def test_a_date_reading_says_how_sure_the_network_was_and_what_it_nearly_wrote(model, reading):
    from playground.viz.attention import output_html, result_markdown

    for step, (token, p, best) in enumerate(zip(reading.output_tokens, reading.confidence, reading.alternatives)):
        assert len(best) == lesson.ALTERNATIVES and best[0] == (token, pytest.approx(p)), step  # greedy: the top
        assert [q for _, q in best] == sorted((q for _, q in best), reverse=True)
    unsure = lesson.read_date(model, "3/4/2021")  # single-digit day and month: not in the training formats
    shown = result_markdown(unsure)
    assert "exists on the calendar; that is all this checks" in shown  # not "a real date", which reads as right
    assert "The network was unsure" in shown and "nearly wrote" in shown
    assert "attn-unsure" in output_html(unsure, 0) and "attn-unsure" not in output_html(reading, 0)
    assert "at least" in result_markdown(reading)


def test_every_map_is_a_distribution_and_the_decoder_never_sees_the_future(reading):
    for kind in lesson.KINDS:
        for weights in reading.maps(kind):
            torch.testing.assert_close(weights.sum(-1), torch.ones(weights.shape[:-1]), atol=1e-5, rtol=0)
    steps = len(reading.output_tokens)
    for weights in reading.decoder:
        assert weights.shape[-2:] == (steps, steps)
        assert (weights[:, future_mask(steps)] == 0).all()  # exactly 0, not merely small
    assert reading.output_tokens[-1] == "</s>" and reading.output == "2026-11-26" and reading.is_valid_date
    assert len(reading.source_tokens) == len("Thursday, 26 November 2026")


def test_one_pass_maps_equal_step_by_step_decoding(model, reading):
    for step, row in enumerate(lesson.step_by_step_cross(model, reading)):
        torch.testing.assert_close(row, reading.cross[-1][:, step], atol=1e-5, rtol=1e-5)


def test_year_month_and_day_are_written_while_looking_at_them(reading):
    # the claim the tab invites a learner to check: in the last layer (heads averaged), the steps writing the
    # year read mostly from "2026", those writing the month from "November", those writing the day from "26"
    source = {"year": slice(22, 26), "month": slice(13, 21), "day": slice(10, 12)}
    steps = {"year": range(0, 4), "month": range(5, 7), "day": range(8, 10)}  # "2026-11-26": 4 + 1 + 2 + 1 + 2
    cross = reading.cross[-1].mean(0)  # (T, S)
    for part, where in source.items():
        share = sum(float(cross[step, where].sum()) for step in steps[part]) / len(steps[part])
        assert share > 0.6, (part, share)


@pytest.mark.parametrize("kind", lesson.KINDS)
def test_the_mechanism_recomputes_the_returned_weights(model, reading, kind):
    for layer in range(len(reading.encoder)):
        for head in range(reading.encoder[0].shape[0]):
            mech = lesson.mechanism(model, reading, kind, layer, head, 3)
            assert mech.max_difference < 1e-5
            assert (mech.weights[mech.masked] == 0).all()
            if kind == "decoder":  # step 3 (0-based) may look at BOS and the three tokens written before it
                assert mech.masked.tolist() == [False] * 4 + [True] * (len(mech.keys) - 4)
            else:
                assert not mech.masked.any()


def test_padding_changes_nothing(model):
    short, long = dates.encode_source("26/11/2026"), dates.encode_source("Thursday, 26 November 2026")
    batch = torch.tensor([short + [dates.PAD] * (len(long) - len(short)), long])
    alone = model.greedy(torch.tensor([short]), bos=dates.BOS, eos=dates.EOS, max_steps=11)
    together = model.greedy(batch, bos=dates.BOS, eos=dates.EOS, max_steps=11)
    assert together[0, : alone.shape[1]].tolist() == alone[0].tolist()
    memory, pad_mask, weights = model.encode(batch)
    assert (weights[0][0, :, :, len(short):] == 0).all()  # no query of the short date reads its padding


@pytest.mark.parametrize("text", ["", "   ", None, "x" * (MAX_DATE_CHARS + 1)])
def test_empty_or_too_long_text_is_a_clear_error(model, text):
    with pytest.raises(InputError) as caught:
        lesson.read_date(model, text)
    assert caught.value.key in ("attn.err.empty", "attn.err.too_long")


@pytest.mark.parametrize("text", ["😀 26 11 2026", "٢٦ نوفمبر ٢٠٢٦", "\x00\x07", "26 ноября 2026", "?", "2026-11-26"])
def test_any_short_text_gets_an_answer_with_unknown_characters_named(model, text):
    reading = lesson.read_date(model, text)
    assert 1 <= len(reading.output_tokens) <= dates.TARGET_LENGTH + 1
    assert set(reading.output) <= set(dates.TARGET_ALPHABET)
    for char in text:
        assert (char in dates.SOURCE_ALPHABET) != (char in reading.unknown)


def test_bad_layer_head_or_step_is_a_clear_error(model, reading):
    for layer, head, step in [(5, 0, 0), (0, 9, 0), (0, 0, 99), (float("nan"), 0, 0)]:
        with pytest.raises(InputError):
            lesson.mechanism(model, reading, "cross", layer, head, step)
    with pytest.raises(InputError):
        reading.maps("sideways")


def test_mechanism_ignores_other_threads_passes(model, reading):
    stop = threading.Event()

    def busy():
        while not stop.is_set():
            lesson.read_date(model, "1 January 1999")

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        for _ in range(10):
            assert lesson.mechanism(model, reading, "cross", 1, 2, 5).max_difference < 1e-5
    finally:
        stop.set()
        worker.join()


# --- dates --------------------------------------------------------------------------------------------------


def test_the_date_generator_is_seeded_balanced_and_keeps_its_days_apart():
    assert dates.pairs(50, seed=3) == dates.pairs(50, seed=3) != dates.pairs(50, seed=4)
    train_days = {iso for _, iso in dates.pairs(3000, seed=1)}
    held_out_days = {iso for _, iso in dates.held_out_pairs()} | {iso for _, iso in dates.unseen_format_pairs()}
    assert not train_days & held_out_days
    assert all(dates.is_held_out(dt.date.fromisoformat(iso)) for iso in held_out_days)
    for text, iso in dates.pairs(len(dates.TRAIN_FORMATS) * 20, seed=5):
        assert len(text) <= MAX_DATE_CHARS and set(text) <= set(dates.SOURCE_ALPHABET)
        dt.date.fromisoformat(iso)


def test_two_digit_years_are_only_drawn_for_this_century():
    for form in (*dates.TRAIN_FORMATS, *dates.UNSEEN_FORMATS):
        if form.two_digit_year:
            for _, iso in dates.pairs(200, seed=7, formats=(form,)):
                assert iso >= "2000"


def test_tokens_round_trip():
    assert dates.decode_target(dates.encode_target("2026-11-26")) == "2026-11-26"
    assert dates.encode_source("a😀")[1] == dates.UNKNOWN


# --- ViT and rollout ---------------------------------------------------------------------------------------


def test_rollout_rows_sum_to_one_at_every_step_and_match_a_hand_computation():
    torch.manual_seed(0)
    layers = [torch.softmax(torch.randn(3, 5, 5), -1) for _ in range(4)]
    for step in lesson.rollout(layers, keep_steps=True):
        torch.testing.assert_close(step.sum(-1), torch.ones(5))
    a1 = layers[0].mean(0) + torch.eye(5)
    a1 = a1 / a1.sum(-1, keepdim=True)
    a2 = layers[1].mean(0) + torch.eye(5)
    a2 = a2 / a2.sum(-1, keepdim=True)
    torch.testing.assert_close(lesson.rollout(layers[:2]), a2 @ a1)
    identity = [torch.eye(5).expand(2, 5, 5)] * 3  # attention to oneself only: rollout is the identity
    torch.testing.assert_close(lesson.rollout(identity), torch.eye(5))


def test_the_bundled_vit_returns_its_attention_with_its_logits():
    model = zoo.load_bundled("vit")
    x = torch.randn(2, 3, 32, 32)
    logits, attention = model.forward_with_attention(x)
    torch.testing.assert_close(logits, model(x))
    assert len(attention) == len(model.blocks)
    for weights in attention:
        assert weights.shape == (2, 4, 65, 65)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 4, 65), atol=1e-5, rtol=0)
    reading = lesson.read_picture(model, x[:1])
    assert reading.cls_map(0, None).shape == (8, 8) and reading.rollout_map().shape == (8, 8)
    torch.testing.assert_close(reading.cls_map(1, 2), attention[1][0, 2, 0, 1:].reshape(8, 8))


def test_torchvision_vit_weights_are_recomputed_by_its_own_modules():
    from torchvision.models.vision_transformer import VisionTransformer as TorchvisionViT

    torch.manual_seed(0)
    model = TorchvisionViT(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16,
                           mlp_dim=32, num_classes=3).eval()
    seen = []  # (input, output) of every block's attention in the pass
    hooks = [block.self_attention.register_forward_hook(lambda m, args, out: seen.append((args[0], out[0])))
             for block in model.encoder.layers]
    x = torch.randn(1, 3, 32, 32)
    try:
        reading = lesson.read_picture(model, x)
    finally:
        for hook in hooks:
            hook.remove()
    torch.testing.assert_close(reading.logits, model(x)[0])
    assert reading.grid == 4 and reading.patch == 8 and len(reading.attention) == 2
    for block, weights, (x_in, output) in zip(model.encoder.layers, reading.attention, seen, strict=True):
        assert weights.shape == (2, 17, 17)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 17), atol=1e-5, rtol=0)
        # the weights reproduce what the block computed in its own pass: weights · V, heads joined, projected
        attention = block.self_attention
        v = x_in @ attention.in_proj_weight[32:].T + attention.in_proj_bias[32:]  # (1, 17, 16)
        mixed = weights[None] @ v.unflatten(-1, (2, 8)).transpose(1, 2)  # (1, 2, 17, 8)
        torch.testing.assert_close(attention.out_proj(mixed.transpose(1, 2).flatten(2)), output, atol=1e-5,
                                   rtol=1e-5)
    assert not any(block.self_attention._forward_pre_hooks for block in model.encoder.layers)


def test_a_vit_with_a_patch_that_does_not_tile_is_refused():
    with pytest.raises(ValueError):
        VisionTransformer(image_size=32, patch=5)
