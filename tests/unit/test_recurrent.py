"""Recurrent networks: the scratch cells are PyTorch's cells, the fast trace is the scratch loop, and every
lesson number has an oracle (PyTorch's own modules and autograd, or a hand-made case with a known answer)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from playground.data.text import UNKNOWN, corpus_vocab
from playground.errors import InputError
from playground.lessons import recurrent as lesson
from playground.lessons.recurrent import LayerTrace, Trace
from playground.limits import MAX_GRADIENT_FLOW_CHARS, MAX_RNN_TEXT_CHARS, MAX_SAMPLE_CHARS, MAX_TEMPERATURE
from playground.models import CharLM, GRUCell, LSTMCell, RNNCell
from playground.models.recurrent import KINDS, scan
from playground.train import metrics
from playground.viz.recurrent import gradient_window_note, unknown_note

SCRATCH = {"rnn": RNNCell, "gru": GRUCell, "lstm": LSTMCell}
TORCH_CELLS = {"rnn": nn.RNNCell, "gru": nn.GRUCell, "lstm": nn.LSTMCell}
TORCH_LAYERS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
TEXT = 'def area(r):\n    return "pi" * (r ** 2)  # [x]\n'
V = len(corpus_vocab())


def _model(kind: str, *, layers: int = 2, hidden: int = 16, seed: int = 0) -> CharLM:
    torch.manual_seed(seed)
    return CharLM(kind, V, embed=8, hidden=hidden, layers=layers).eval()


def _pair(kind: str, seed: int = 0):
    torch.manual_seed(seed)
    ours = SCRATCH[kind](5, 7)
    theirs = TORCH_CELLS[kind](5, 7)
    with torch.no_grad():
        for name in WEIGHTS:
            getattr(theirs, name).copy_(getattr(ours, name))
    return ours, theirs


def _err(fn, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    return info.value


# --- the scratch cells are PyTorch's cells ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_scratch_cells_equal_torch_cells_forward_and_gradients(kind):
    ours, theirs = _pair(kind)
    x = torch.randn(3, 5, generator=torch.Generator().manual_seed(1))
    h = torch.randn(3, 7, generator=torch.Generator().manual_seed(2)) * 0.5
    c = torch.randn(3, 7, generator=torch.Generator().manual_seed(3))
    if kind == "lstm":
        step = ours(x, (h, c))
        h_ref, c_ref = theirs(x, (h, c))
        torch.testing.assert_close(step.c, c_ref)
        loss, loss_ref = (step.h.sin() + step.c.cos()).sum(), (h_ref.sin() + c_ref.cos()).sum()
    else:
        step = ours(x, h)
        h_ref = theirs(x, h)
        loss, loss_ref = step.h.sin().sum(), h_ref.sin().sum()
    torch.testing.assert_close(step.h, h_ref)
    loss.backward()
    loss_ref.backward()
    for name in WEIGHTS:
        torch.testing.assert_close(getattr(ours, name).grad, getattr(theirs, name).grad, msg=name)


@pytest.mark.parametrize("kind", KINDS)
def test_a_scratch_cell_stepped_over_a_sequence_equals_the_fused_layer(kind):
    ours, _ = _pair(kind)
    layer = TORCH_LAYERS[kind](5, 7, batch_first=True)
    with torch.no_grad():
        for name in WEIGHTS:
            getattr(layer, f"{name}_l0").copy_(getattr(ours, name))
    x = torch.randn(2, 9, 5, generator=torch.Generator().manual_seed(4), requires_grad=True)
    steps = scan(ours, x)
    out, final = layer(x)
    torch.testing.assert_close(steps.h, out)
    if kind == "lstm":
        torch.testing.assert_close(steps.c[:, -1], final[1][0])
    (g_ours,) = torch.autograd.grad(steps.h.square().sum(), x)
    (g_theirs,) = torch.autograd.grad(out.square().sum(), x)
    torch.testing.assert_close(g_ours, g_theirs)


def test_steps_expose_their_gates_in_range():
    _, _ = _pair("lstm")
    x = torch.randn(4, 5)
    lstm = LSTMCell(5, 7)(x)
    gru = GRUCell(5, 7)(x)
    for gate in (lstm.i, lstm.f, lstm.o, gru.r, gru.z):
        assert bool(((gate > 0) & (gate < 1)).all())
    for value in (lstm.g, gru.n, lstm.h):
        assert bool((value.abs() < 1).all())
    torch.testing.assert_close(lstm.c, lstm.i * lstm.g)  # C₋₁ = 0: the forget gate has nothing to keep
    torch.testing.assert_close(lstm.h, lstm.o * torch.tanh(lstm.c))


@pytest.mark.parametrize("kind", KINDS)
def test_charlm_fast_path_equals_the_scratch_path_and_cells_share_weights(kind):
    model = _model(kind)
    ids = torch.randint(0, V, (2, 12), generator=torch.Generator().manual_seed(5))
    fast, slow = model.run(ids), model.forward_scratch(ids)
    torch.testing.assert_close(fast.logits, slow.logits)
    torch.testing.assert_close(model(ids), fast.logits)
    for out, steps in zip(fast.outputs, slow.outputs, strict=True):
        torch.testing.assert_close(out, steps.h)
    cell = model.cell(1)
    assert cell.weight_hh is model.layers[1].weight_hh_l0 and cell.bias_ih is model.layers[1].bias_ih_l0
    assert CharLM(**model.model_args).model_args == model.model_args
    assert {n for n, _ in model.named_parameters()} >= {"embedding.weight", "layers.0.weight_ih_l0", "head.bias"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_three_kinds_differ_only_in_the_cell(kind):
    sizes = {k: sum(p.numel() for p in _model(k).layers.parameters()) for k in KINDS}
    gates = {"rnn": 1, "gru": 3, "lstm": 4}
    assert sizes[kind] * gates["rnn"] == sizes["rnn"] * gates[kind]
    with pytest.raises(ValueError):
        CharLM("transformer", V)


# --- the trace ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_trace_gates_equal_the_scratch_loop_and_torchs_states(kind):
    model = _model(kind)
    result = lesson.trace(model, TEXT)
    ids = corpus_vocab().encode(TEXT).ids[None]
    with torch.no_grad():
        slow = model.forward_scratch(ids)
        fast = model.run(ids)
    assert len(result.layers) == 2
    for layer, steps, out in zip(result.layers, slow.outputs, fast.outputs, strict=True):
        torch.testing.assert_close(layer.h, out[0])
        torch.testing.assert_close(layer.h, steps.h[0])
        assert sorted(layer.gates) == sorted(lesson.GATES[kind])
        for name, values in layer.gates.items():
            assert values.shape == (len(TEXT), 16)
            torch.testing.assert_close(values, getattr(steps, name)[0], msg=name)
    if kind == "lstm":  # the scan's last memory cell is the one nn.LSTM hands back
        for layer, (_, c_n) in zip(result.layers, fast.states, strict=True):
            torch.testing.assert_close(layer.gates["c"][-1], c_n[0, 0])


def test_trace_predictions_are_the_softmax_of_the_logits_at_the_temperature():
    model = _model("gru")
    result = lesson.trace(model, TEXT, k=3, temperature=2.0)
    ids = corpus_vocab().encode(TEXT).ids
    with torch.no_grad():
        probs = torch.softmax(model(ids[None])[0].double() / 2.0, dim=-1)
    assert result.top_ids.shape == result.top_probs.shape == (len(TEXT), 3)
    torch.testing.assert_close(result.top_probs, probs.topk(3, dim=-1).values)
    assert result.top_chars[0] == tuple(corpus_vocab().chars[i] for i in result.top_ids[0].tolist())
    torch.testing.assert_close(result.next_prob, probs[torch.arange(len(TEXT) - 1), ids[1:]])
    assert result.chars == tuple(TEXT) and result.text == TEXT and result.unknown == {}


def test_lessons_never_change_the_models_mode_weights_or_grads():
    model = _model("lstm").train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    lesson.trace(model, TEXT)
    lesson.gradient_flow(model, TEXT)
    lesson.sample(model, TEXT, length=5)
    metrics.bits_per_char(model, TEXT)
    assert model.training
    assert all(p.grad is None for p in model.parameters())
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k


# --- the learner's text: limits and messages -----------------------------------------------------------


@pytest.mark.parametrize("fn", [lesson.trace, lesson.gradient_flow, lesson.sample])
def test_empty_and_too_long_texts_are_refused_with_the_limit_named(fn):
    model = _model("rnn", layers=1)
    for empty in ("", None):
        err = _err(fn, model, empty)
        assert err.key == "rnn.err.empty" and str(err) == "Type or paste some text first."
    err = _err(fn, model, "a" * (MAX_RNN_TEXT_CHARS + 1))
    assert err.key == "rnn.err.too_long"
    assert f"{MAX_RNN_TEXT_CHARS + 1} characters" in str(err) and f"limit is {MAX_RNN_TEXT_CHARS}" in str(err)
    assert err.message("zh").startswith("这段文字有")


def test_text_of_only_unknown_characters_is_refused():
    err = _err(lesson.trace, _model("gru"), "你好😀\x00")
    assert err.key == "rnn.err.all_unknown" and err.params == {"count": 4}
    assert str(err).startswith("None of the 4 character(s) is in the model's vocabulary")


def test_unknown_characters_are_read_as_the_unknown_token_with_a_note():
    text = "Hi 你好 😀\x00!"
    result = lesson.trace(_model("lstm"), text)
    assert result.unknown == {"你": 1, "好": 1, "😀": 1, "\x00": 1}
    assert result.chars == ("H", "i", " ", UNKNOWN, UNKNOWN, " ", UNKNOWN, UNKNOWN, "!")
    assert result.ids.tolist()[3:5] == [0, 0]
    note = unknown_note(result.unknown)
    assert note == ("4 character(s) are not in the model's vocabulary and were read as the unknown token �: "
                    "你 ×1, 好 ×1, 😀 ×1, U+0000 ×1.")
    assert "未知符号" in unknown_note(result.unknown, "zh")
    assert unknown_note({}) == ""


def test_temperature_and_top_k_are_checked():
    model = _model("rnn", layers=1)
    for bad in (0, -1, MAX_TEMPERATURE * 2, math.nan):
        err = _err(lesson.trace, model, TEXT, temperature=bad)
        assert err.key in ("common.err.out_of_range", "common.err.not_finite")
    assert str(_err(lesson.trace, model, TEXT, temperature=0)).startswith("Temperature T must be between")
    assert _err(lesson.trace, model, TEXT, k=0).key == "common.err.out_of_range"


def test_a_model_with_another_vocabulary_is_a_programming_error():
    with pytest.raises(ValueError):
        lesson.trace(CharLM("rnn", 7, embed=4, hidden=4, layers=1), TEXT)


# --- unit finder and gate saturation ------------------------------------------------------------------------


def _synthetic(kind: str, text: str, layers: list[LayerTrace]) -> Trace:
    n = len(text)
    ids = corpus_vocab().encode(text).ids
    return Trace(kind, text, tuple(text), ids, {}, tuple(layers), 1.0, torch.zeros(n, 1, dtype=torch.int64),
                 torch.ones(n, 1, dtype=torch.float64), tuple(("a",) for _ in range(n)), torch.ones(n - 1))


def test_text_properties_by_hand():
    props = lesson.text_properties('a "b" (c[d])\n x')
    assert props["inside_quotes"].tolist() == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert props["bracket_depth"].tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 1, 0, 0, 0, 0]
    assert props["inside_brackets"].tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert props["position_in_line"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1, 2]
    assert props["after_space"].tolist() == [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert lesson.text_properties("“x” ")["inside_quotes"].tolist() == [1, 1, 0, 0]


def test_unit_finder_finds_planted_units_and_skips_constant_ones():
    text = 'say "hi" (to [all]) and "bye" now\n(x)'
    props = lesson.text_properties(text)
    noise = torch.randn(len(text), 6, generator=torch.Generator().manual_seed(0)) * 0.1
    first = noise.clone()
    first[:, 4] = 0.7 * props["inside_quotes"].float() + 0.1  # a quote cell
    first[:, 1] = 3.0  # a constant unit: no correlation, never ranked
    second = noise.flip(0)
    second[:, 2] = -props["bracket_depth"].float()  # a depth cell, the other way round
    result = lesson.unit_finder(_synthetic("rnn", text, [LayerTrace(first, {}), LayerTrace(second, {})]), text)
    best = result.best["inside_quotes"][0]
    assert (best.layer, best.unit) == (0, 4) and best.r == pytest.approx(1.0)
    depth = result.best["bracket_depth"][0]
    assert (depth.layer, depth.unit) == (1, 2) and depth.r == pytest.approx(-1.0)
    for units in result.best.values():
        assert len(units) == 5 and all(math.isfinite(u.r) for u in units)
        assert all((u.layer, u.unit) != (0, 1) for u in units)
        assert [abs(u.r) for u in units] == sorted((abs(u.r) for u in units), reverse=True)
    assert result.constant == ()


def test_unit_finder_reports_properties_that_never_change():
    text = "plain words and no marks"
    units = torch.randn(len(text), 4, generator=torch.Generator().manual_seed(1))
    result = lesson.unit_finder(_synthetic("rnn", text, [LayerTrace(units, {})]), top=2)
    assert set(result.constant) == {"inside_quotes", "inside_brackets", "bracket_depth"}
    assert result.best["inside_quotes"] == ()
    assert len(result.best["after_space"]) == 2
    assert str(_err(lesson.unit_finder, _synthetic("rnn", text, [LayerTrace(units, {})]), top=0).key) == \
        "common.err.out_of_range"


def test_unit_finder_on_a_real_trace_and_on_the_lstm_memory_cell():
    result = lesson.trace(_model("lstm"), TEXT)
    for state in ("h", "c"):
        found = lesson.unit_finder(result, state=state)
        assert found.state == state and found.constant == ()
        for units in found.best.values():
            assert units and all(math.isfinite(u.r) and abs(u.r) <= 1 + 1e-9 for u in units)
    with pytest.raises(ValueError):
        lesson.unit_finder(result, state="z")
    torch.testing.assert_close(lesson.pearson(torch.tensor([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]]),
                                              torch.tensor([3.0, 2.0, 1.0])),
                               torch.tensor([-1.0, math.nan], dtype=torch.float64), equal_nan=True)


def test_gate_saturation_on_hand_made_gates():
    i = torch.tensor([[0.05, 0.5], [0.95, 0.99], [0.5, 0.5], [0.01, 0.2]])  # (T=4, H=2)
    f = torch.full((4, 2), 0.95)
    o = torch.full((4, 2), 0.5)
    gates = {"c": torch.zeros(4, 2), "i": i, "f": f, "g": torch.zeros(4, 2), "o": o}
    rows = lesson.gate_saturation(_synthetic("lstm", "abcd", [LayerTrace(torch.zeros(4, 2), gates)]))
    by_gate = {row.gate: row for row in rows}
    assert sorted(by_gate) == ["f", "i", "o"]
    assert (by_gate["i"].low, by_gate["i"].high) == (2 / 8, 2 / 8)  # 0.05, 0.01 below 0.1; 0.95, 0.99 above 0.9
    assert by_gate["i"].low_per_unit.tolist() == [0.5, 0.0] and by_gate["i"].high_per_unit.tolist() == [0.25, 0.25]
    assert (by_gate["f"].low, by_gate["f"].high) == (0.0, 1.0)
    assert (by_gate["o"].low, by_gate["o"].high) == (0.0, 0.0)
    real = lesson.gate_saturation(lesson.trace(_model("gru"), TEXT))
    assert [(r.layer, r.gate) for r in real] == [(0, "r"), (0, "z"), (1, "r"), (1, "z")]
    assert lesson.gate_saturation(lesson.trace(_model("rnn"), TEXT)) == ()


# --- gradient flow -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_gradient_flow_equals_torchs_gradient_of_a_restarted_layer(kind):
    # Oracle: ∂L/∂Hₜ is the gradient with respect to the initial state of nn.RNN/GRU/LSTM restarted at t + 1.
    model = _model(kind, layers=1)
    flow = lesson.gradient_flow(model, TEXT)
    ids = corpus_vocab().encode(TEXT).ids
    inputs, target = ids[:-1][None], ids[-1:]
    steps = len(TEXT) - 1
    assert flow.norms.shape == (1, steps) and flow.target == TEXT[-1] and flow.chars == tuple(TEXT[:-1])
    assert flow.steps_back.tolist() == list(range(steps - 1, -1, -1))
    layer = model.layers[0]
    x = model.embedding(inputs).detach()
    gates = lesson.trace(model, TEXT[:-1]).layers[0].gates
    for t in (0, steps // 2, steps - 2):
        with torch.no_grad():
            _, state = layer(x[:, :t + 1])
        if kind == "lstm":
            h = state[0].clone().requires_grad_(True)
            # ∂L/∂Cₜ counts every path from Cₜ: on to Cₜ₊₁, and through Hₜ = Oₜ ⊙ tanh(Cₜ)
            c_path = state[1].clone().requires_grad_(True)
            state = (h + gates["o"][t] * torch.tanh(c_path) - gates["o"][t] * torch.tanh(c_path).detach(), c_path)
            leaves = (h, c_path)
        else:
            state = state.clone().requires_grad_(True)
            leaves = (state,)
        out, _ = layer(x[:, t + 1:], state)
        loss = F.cross_entropy(model.head(out[:, -1]), target)
        grads = torch.autograd.grad(loss, leaves)
        assert float(flow.norms[0, t]) == pytest.approx(float(grads[0].norm()), rel=1e-4, abs=1e-9)
        if kind == "lstm":
            assert float(flow.cell_norms[0, t]) == pytest.approx(float(grads[1].norm()), rel=1e-4, abs=1e-9)
        assert flow.loss == pytest.approx(float(loss.detach()), rel=1e-5)
    if kind != "lstm":
        assert flow.cell_norms is None


@pytest.mark.parametrize("kind", KINDS)
def test_gradient_flow_is_finite_non_negative_for_every_layer(kind):
    flow = lesson.gradient_flow(_model(kind), TEXT)
    assert flow.norms.shape == (2, len(TEXT) - 1) and flow.kind == kind
    assert bool(torch.isfinite(flow.norms).all()) and bool((flow.norms >= 0).all())
    assert float(flow.norms[:, -1].min()) > 0
    assert gradient_window_note(flow) == ""


def test_gradient_vanishes_back_in_time_in_a_small_rnn():
    model = _model("rnn", layers=1, hidden=8)
    with torch.no_grad():
        w = model.layers[0].weight_hh_l0
        w.copy_(w * 0.5 / torch.linalg.matrix_norm(w, ord=2))  # ‖W_hh‖₂ = 0.5 and tanh' ≤ 1: each step back shrinks
    norms = lesson.gradient_flow(model, TEXT).norms[0]
    assert bool(((norms[:-1] < norms[1:]) | (norms[:-1] == 0)).all())  # far back it underflows to exactly 0
    assert float(norms[0]) < 1e-6 * float(norms[-1])


def test_gradient_flow_needs_two_characters_and_keeps_a_window():
    model = _model("gru", layers=1, hidden=4)
    err = _err(lesson.gradient_flow, model, "a")
    assert err.key == "rnn.err.too_short" and "at least 2 characters" in str(err)
    text = "ab " * 300
    flow = lesson.gradient_flow(model, text)
    assert flow.norms.shape == (1, MAX_GRADIENT_FLOW_CHARS)
    assert flow.start == len(text) - MAX_GRADIENT_FLOW_CHARS - 1 and flow.total == len(text)
    assert gradient_window_note(flow) == \
        f"The gradient is followed back over the last {MAX_GRADIENT_FLOW_CHARS + 1} of the {len(text)} characters."


def test_gradient_flow_works_with_frozen_weights():
    model = _model("lstm", layers=1)
    model.requires_grad_(False)
    flow = lesson.gradient_flow(model, TEXT)
    assert float(flow.norms[0, -1]) > 0


# --- sampling and bits per character -----------------------------------------------------------------------


def test_sampling_is_reproducible_by_seed_and_never_draws_the_unknown_token():
    model = _model("lstm")
    with torch.no_grad():
        model.head.bias[0] = 5.0  # the unknown token would be the likeliest draw
    a = lesson.sample(model, "The ", length=40, seed=7)
    b = lesson.sample(model, "The ", length=40, seed=7)
    c = lesson.sample(model, "The ", length=40, seed=8)
    assert a.continuation == b.continuation and torch.equal(a.ids, b.ids)
    assert a.continuation != c.continuation
    assert len(a.continuation) == 40 and int(a.ids.min()) > 0 and UNKNOWN not in a.continuation


def test_sampling_at_a_low_temperature_is_the_greedy_continuation():
    model = _model("gru")
    vocab = corpus_vocab()
    ids = vocab.encode("print(").ids
    with torch.no_grad():
        for _ in range(10):  # greedy decoding, re-reading the whole text each time (no carried state)
            logits = model(ids[None])[0, -1]
            logits[0] = -math.inf
            ids = torch.cat([ids, logits.argmax().view(1)])
    result = lesson.sample(model, "print(", length=10, temperature=0.01, seed=0)
    assert result.continuation == vocab.decode(ids[6:])


def test_sampling_limits():
    model = _model("rnn", layers=1)
    assert _err(lesson.sample, model, "a", length=MAX_SAMPLE_CHARS + 1).key == "common.err.out_of_range"
    assert _err(lesson.sample, model, "a", length=2.5).key == "common.err.not_whole"
    assert _err(lesson.sample, model, "a", temperature=0.001).key == "common.err.out_of_range"
    assert _err(lesson.sample, model, "a", seed=-1).key == "common.err.out_of_range"
    note = lesson.sample(model, "a你", length=1)
    assert note.unknown == {"你": 1}


def test_bits_per_char_of_a_uniform_model_is_log2_of_the_vocabulary():
    model = _model("lstm", layers=1)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    assert metrics.bits_per_char(model, TEXT) == pytest.approx(math.log2(V))


def test_bits_per_char_reads_one_stream_whatever_the_chunk():
    model = _model("gru")
    ids = corpus_vocab().encode(TEXT * 3).ids
    with torch.no_grad():
        logits = model(ids[None, :-1])[0]
    expected = float(F.cross_entropy(logits.double(), ids[1:])) / math.log(2)
    assert metrics.bits_per_char(model, ids) == pytest.approx(expected, rel=1e-6)
    assert metrics.bits_per_char(model, ids, chunk=7) == pytest.approx(expected, rel=1e-5)
    assert metrics.bits_per_char(model, TEXT * 3) == pytest.approx(expected, rel=1e-6)


def test_unigram_baseline_by_hand_and_on_the_corpus():
    bits = metrics.unigram_bits_per_char(torch.tensor([1, 1, 2]), torch.tensor([0, 1, 2]), 3)
    assert bits == pytest.approx(-(math.log2(3 / 6) + math.log2(2 / 6)) / 2)  # add-one counts: 1, 3, 2
    corpus = metrics.unigram_bits_per_char()
    assert 4.0 < corpus < math.log2(V)  # English letters are far from uniform


@pytest.mark.parametrize("steps", [1, 2, 3, 7, 64, 200])
def test_the_memory_scan_is_the_lstm_recurrence_step_by_step(steps):
    generator = torch.Generator().manual_seed(steps)
    f = torch.rand(steps, 2, 5, generator=generator, dtype=torch.float64)  # forget gates in (0, 1)
    ig = torch.randn(steps, 2, 5, generator=generator, dtype=torch.float64)  # Iₜ ⊙ C̃ₜ
    c, expected = torch.zeros(2, 5, dtype=torch.float64), []
    for t in range(steps):
        c = f[t] * c + ig[t]
        expected.append(c)
    torch.testing.assert_close(lesson._memory_scan(f, ig), torch.stack(expected))
