"""Pictures of a recurrent network reading text: units × time heatmaps, the text coloured by one unit (Karpathy
et al., 2015) with the next-character predictions on hover, gradient norms back through time, gate saturation and
the units that follow properties of the text."""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from playground.errors import InputError
from playground.i18n import t
from playground.lessons.recurrent import GradientFlow, Saturation, Trace, UnitFinder, states
from playground.lessons.recurrent_views import RecurrentView
from playground.viz.theme import DIVERGING, PALETTE, base_layout

STATES_IN_RANGE = {"h": (-1, 1), "c": None, "g": (-1, 1), "n": (-1, 1)}  # tanh-valued; gates are in (0, 1)
KIND_COLOURS = {"rnn": PALETTE[1], "gru": PALETTE[2], "lstm": PALETTE[0]}
SHOWN_UNKNOWN = 10  # distinct unknown characters listed in the note


def _values(trace: Trace, layer: int, state: str) -> np.ndarray:
    """(T, H) values of ``state`` in ``layer`` (1-based, as the learner counts)."""
    if not 1 <= layer <= len(trace.layers):
        raise InputError("rnn.err.layer", layer=layer, count=len(trace.layers))
    if state not in states(trace.kind):
        raise InputError("rnn.err.state", state=str(state)[:10], choices=", ".join(states(trace.kind)))
    chosen = trace.layers[layer - 1]
    return (chosen.h if state == "h" else chosen.gates[state]).float().numpy()


def _range(state: str, values: np.ndarray) -> tuple[float, float]:
    fixed = STATES_IN_RANGE.get(state, (0, 1))
    if fixed is None:  # the LSTM memory is unbounded: symmetric around 0
        bound = float(max(np.abs(values).max(), 1e-6))
        return -bound, bound
    return fixed


def heatmap_figure(trace: Trace, layer: int, state: str, *, lang: str = "en") -> go.Figure:
    """Every unit (rows) at every character (columns) of one layer's state or gate."""
    values = _values(trace, layer, state)  # (T, H)
    low, high = _range(state, values)
    chars = [c if c.strip() else "␣" if c == " " else "⏎" for c in trace.chars]
    title = t("rnn.fig.heatmap", lang, state=t(f"rnn.gate.{state}", lang), layer=layer,
              kind=t(f"rnn.kind.{trace.kind}", lang))
    fig = go.Figure(layout=base_layout(title, height=460))
    fig.add_trace(go.Heatmap(z=values.T.astype(np.float32), zmin=low, zmax=high,
                             colorscale=DIVERGING if low < 0 else "Viridis", reversescale=low < 0,
                             hovertemplate=t("rnn.fig.hover", lang) + "<extra></extra>"))
    step = max(1, len(chars) // 80)  # at most ~80 character labels
    fig.update_xaxes(tickvals=list(range(0, len(chars), step)), ticktext=chars[::step], tickangle=0,
                     title=t("rnn.fig.characters", lang))
    fig.update_yaxes(title=t("rnn.fig.units", lang))
    return fig


def coloured_text_html(trace: Trace, layer: int, state: str, unit: int, *, lang: str = "en") -> str:
    """The text with each character's background coloured by one unit's value after reading it (red positive,
    blue negative), and the model's top predictions for the next character in its tooltip."""
    values = _values(trace, layer, state)
    hidden = values.shape[1]
    if not 0 <= unit < hidden:
        raise InputError("rnn.err.unit", unit=unit, count=hidden)
    column = values[:, unit]
    low, high = _range(state, values[:, unit : unit + 1])
    spans = []
    for position, (char, value) in enumerate(zip(trace.chars, column)):
        # strength in [-1, 1]: for (0, 1) gates, 0.5 is neutral
        strength = (value - (low + high) / 2) / ((high - low) / 2)
        strength = float(np.clip(strength, -1, 1))
        colour = f"rgba(178,24,43,{strength:.2f})" if strength >= 0 else f"rgba(33,102,172,{-strength:.2f})"
        guesses = ", ".join(f"{_shown(c)} {p:.0%}" for c, p in zip(trace.top_chars[position],
                                                                   trace.top_probs[position].tolist()))
        tip = t("rnn.tip", lang, value=f"{value:.3f}", guesses=guesses)
        shown = "⏎<br>" if char == "\n" else html.escape(char)
        spans.append(f'<span style="background:{colour}" title="{html.escape(tip)}">{shown}</span>')
    return (f'<div class="rnn-text">{"".join(spans)}</div>'
            f'<p class="rnn-caption">{html.escape(t("rnn.caption", lang, unit=unit, layer=layer))}</p>')


def _shown(char: str) -> str:
    return {" ": "␣", "\n": "⏎", "\t": "⇥"}.get(char, char)


def gradient_figure(flows: Mapping[str, GradientFlow], *, lang: str = "en") -> go.Figure:
    """‖∂L/∂Hₜ‖ against how many steps back from the last character, one line per model and layer (log scale)."""
    fig = go.Figure(layout=base_layout(t("rnn.fig.gradient", lang), height=400))
    for kind, flow in flows.items():
        back = flow.steps_back.numpy()
        for layer in range(flow.norms.shape[0]):
            norms = flow.norms[layer].numpy()
            fig.add_trace(go.Scatter(
                x=back, y=np.where(norms > 0, norms, np.nan), mode="lines",
                name=f"{t(f'rnn.kind.{kind}', lang)} · {t('rnn.fig.layer', lang, layer=layer + 1)}",
                line=dict(color=KIND_COLOURS[kind], width=2.5 if layer == flow.norms.shape[0] - 1 else 1.2,
                          dash="solid" if layer == flow.norms.shape[0] - 1 else "dot")))
    fig.update_xaxes(title=t("rnn.fig.steps_back", lang), autorange="reversed")
    fig.update_yaxes(title="‖∂L/∂Hₜ‖", type="log", exponentformat="power")
    # six lines: the legend goes under the plot, where it cannot cover the title
    fig.update_layout(height=480, legend=dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0),
                      margin=dict(b=130))
    return fig


def saturation_markdown(rows: tuple[Saturation, ...], *, lang: str = "en") -> str:
    if not rows:
        return t("rnn.saturation.none", lang)
    lines = [f"| {t('rnn.fig.layer_col', lang)} | {t('rnn.gate_col', lang)} | < 0.1 | > 0.9 |", "|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.layer + 1} | {t(f'rnn.gate.{row.gate}', lang)} | {row.low:.0%} | {row.high:.0%} |")
    return "\n".join(lines)


def units_markdown(found: UnitFinder, *, lang: str = "en") -> str:
    """The best unit for each property of the text (layer, unit, Pearson r)."""
    lines = [f"| {t('rnn.property_col', lang)} | {t('rnn.best_units', lang)} |", "|---|---|"]
    for name, units in found.best.items():
        if units:
            cells = ", ".join(f"L{u.layer + 1} #{u.unit} (r = {u.r:+.2f})" for u in units[:3])
        else:
            cells = t("rnn.prop.constant", lang, name=t(f"rnn.prop.{name}", lang))
        lines.append(f"| {t(f'rnn.prop.{name}', lang)} | {cells} |")
    return "\n".join(lines)


def unknown_note(unknown: dict[str, int], lang: str = "en") -> str:
    """The visible note about characters read as the unknown token; "" when there were none."""
    if not unknown:
        return ""
    listed = [f"{_code_point(c)} ×{n}" for c, n in list(unknown.items())[:SHOWN_UNKNOWN]]
    if len(unknown) > SHOWN_UNKNOWN:
        listed.append("…")
    return t("rnn.note.unknown", lang, count=sum(unknown.values()), chars=", ".join(listed))


def _code_point(c: str) -> str:
    """A character as itself, or as U+XXXX when it cannot be seen (a space, a control character)."""
    return c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"


def gradient_window_note(flow: GradientFlow, lang: str = "en") -> str:
    """A note when the text was longer than the window the gradient is followed over; "" otherwise."""
    if flow.start == 0:
        return ""
    return t("rnn.note.gradient_window", lang, count=len(flow.chars) + 1, total=flow.total)


def summary_markdown(view: RecurrentView, *, lang: str = "en") -> str:
    """The model, how well it predicted this text against its held-out score and the unigram baseline, and the
    notes on unknown characters and on the gradient's window."""
    kind = view.trace.kind
    summary = t("rnn.summary", lang, kind=t(f"rnn.kind.{kind}", lang), count=len(view.trace.chars),
                bits=f"{view.bits:.2f}", held_out=f"{view.metrics['held_out_bits_per_char']:.2f}",
                unigram=f"{view.metrics['unigram_bits_per_char']:.2f}")
    notes = [unknown_note(view.trace.unknown, lang), gradient_window_note(view.flows[kind], lang)]
    return "\n\n".join([summary, *(note for note in notes if note)])


def trace_page(view: RecurrentView, *, lang: str = "en") -> tuple:
    """Everything the trace view shows, in the order of its outputs: the summary, the coloured text, the layer's
    heatmap, the gradient flow, the gate saturation, the best units, and the (label, state) choices of this
    model's states."""
    trace = view.trace
    saturation = t("rnn.saturation.title", lang) + "\n\n" + saturation_markdown(view.saturation, lang=lang)
    return (summary_markdown(view, lang=lang), coloured_text_html(trace, view.layer, view.state, view.unit, lang=lang),
            heatmap_figure(trace, view.layer, view.state, lang=lang), gradient_figure(view.flows, lang=lang),
            saturation, units_markdown(view.found, lang=lang),
            [(t(f"rnn.gate.{state}", lang), state) for state in states(trace.kind)])
