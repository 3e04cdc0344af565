"""Figure builders for the conv tab (viz.conv, viz.transposed, viz._sheet): structure, frames, the numbers they
write; never pixels."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from playground.errors import InputError
from playground.lessons.conv_arithmetic import conv_size_formula, separable_cost
from playground.lessons.conv_inputs import random_conv_example, random_transposed_example, random_values
from playground.lessons.conv_views import conv_view, pool_view, transposed_view
from playground.lessons.convolution import conv2d_steps, pool2d_steps
from playground.lessons.transposed import conv_transpose2d_three_ways
from playground.limits import MAX_ANIMATION_FRAMES, MAX_CONV_CHANNELS
from playground.viz.conv import (
    conv_animation,
    conv_outputs,
    cost_figure,
    pool_animation,
    pool_outputs,
    size_formula_markdown,
)
from playground.viz.transposed import TransposedFigures, transposed_figures, transposed_outputs

CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_JSON_BYTES = 5_000_000


def _final_number(text: str) -> float:
    """The value after the last "= " of an annotation such as "out[0][1, 2] = 1·0 + 2·1 + bias 1 = 7"."""
    return float(text.rsplit("= ", 1)[1].replace("−", "-"))


def _note(frame: go.Frame) -> str:
    return frame.layout.annotations[0].text


def _traces_by_type(fig: go.Figure, kind: str) -> list:
    return [trace for trace in fig.data if trace.type == kind]


def _check_animation_controls(fig: go.Figure) -> None:
    names = [frame.name for frame in fig.frames]
    assert names == [str(i) for i in range(len(fig.frames))]
    (menu,) = fig.layout.updatemenus
    play, pause = menu.buttons
    assert play.method == "animate" and play.args[0] is None
    assert play.args[1] == {"frame": {"duration": 300, "redraw": True}, "fromcurrent": True,
                            "transition": {"duration": 0}}
    assert list(pause.args[0]) == [None]
    assert pause.args[1] == {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}
    (slider,) = fig.layout.sliders
    assert len(slider.steps) == len(fig.frames)
    for step, name in zip(slider.steps, names, strict=True):
        assert step.method == "animate" and list(step.args[0]) == [name]
        assert step.args[1]["mode"] == "immediate" and step.args[1]["frame"]["redraw"] is True
    for frame in fig.frames:
        assert len(frame.data) == len(frame.traces)
        assert all(0 <= index < len(fig.data) for index in frame.traces)


# --- convolution ---------------------------------------------------------------------------------------


def _conv(**options):
    x, weight, bias = random_conv_example(in_channels=options.pop("c_in", 2), out_channels=options.pop("c_out", 1),
                                          height=options.pop("h", 5), width=options.pop("w", 5),
                                          kernel_h=options.pop("kh", 3), kernel_w=options.pop("kw", 3),
                                          groups=options.get("groups", 1), bias=options.pop("bias", True), seed=3)
    return conv2d_steps(x, weight, bias, **options)


@pytest.mark.parametrize("options", [
    dict(), dict(padding=1), dict(stride=2, padding=1), dict(dilation=2, h=7, w=7), dict(c_in=3, c_out=2, kh=1, kw=1),
    dict(c_in=4, c_out=4, groups=4, padding=1), dict(h=4, w=6, kh=2, kw=3, stride=2, bias=False),
])
def test_conv_animation_frames_window_and_sums(options: dict) -> None:
    result = _conv(**options)
    out_channel = result.output.shape[0] - 1
    fig = conv_animation(result, out_channel=out_channel)
    assert isinstance(fig, go.Figure)
    assert len(fig.frames) == len(result.steps) == result.output.shape[1] * result.output.shape[2]
    _check_animation_controls(fig)

    # the window overlay starts on the first window, in the figure and in frame 0, and moves with the steps
    overlays = [trace for trace in _traces_by_type(fig, "heatmap") if trace.x0 is not None]
    assert len(overlays) == len(result.group_inputs[out_channel])
    first = result.steps[0]
    for overlay in overlays:
        assert (overlay.x0, overlay.y0) == (first.cols[0], first.rows[0])
        sampled = np.argwhere(np.isfinite(np.asarray(overlay.z)))
        assert sorted({int(r) for r, _ in sampled}) == [a * result.dilation for a in range(result.weight.shape[2])]
    for frame, step in zip(fig.frames, result.steps, strict=True):
        moved = [d for d in frame.data if d.type == "heatmap"]
        assert all((d.x0, d.y0) == (step.cols[0], step.rows[0]) for d in moved)

    # every frame's note ends with that cell's output value
    for frame, step in zip(fig.frames, result.steps, strict=True):
        assert _final_number(_note(frame)) == pytest.approx(float(result.output[out_channel, step.row, step.col]))
    assert fig.layout.annotations[0].text == _note(fig.frames[0])  # a static render shows the first step

    # the last frame uncovers every output cell
    last_covers = [d for d in fig.frames[-1].data if d.type == "scatter" and list(d.x) == [None]]
    assert len(last_covers) == len(result.group_inputs[out_channel]) + 1


def test_first_window_rectangle_surrounds_the_first_window() -> None:
    result = _conv(padding=1, stride=2)
    fig = conv_animation(result)
    index = fig.frames[0].traces[1]  # traces per row: overlay, window box, cover, current cell
    box = fig.data[index]
    kh, kw = result.weight.shape[2:]
    assert (min(box.x), max(box.x), min(box.y), max(box.y)) == (-0.5, kw - 0.5, -0.5, kh - 0.5)
    second = fig.frames[1].data[1]
    assert (min(second.x), min(second.y)) == (result.steps[1].cols[0] - 0.5, -0.5)


def test_conv_note_writes_products_and_bias() -> None:
    x = torch.arange(9.0).reshape(1, 3, 3)
    weight = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
    fig = conv_animation(conv2d_steps(x, weight, torch.tensor([1.0])))
    assert fig.layout.annotations[0].text == "out[0][0, 0] = 0·0 + 1·1 + 3·2 + 4·3 + bias 1 = 20"
    zh = conv_animation(conv2d_steps(x, weight, torch.tensor([1.0])), lang="zh")
    assert "偏置" in zh.layout.annotations[0].text and CJK.search(zh.layout.title.text)


def test_long_sums_are_shortened_but_keep_the_total() -> None:
    result = _conv(c_in=3, kh=5, kw=5, h=6, w=6)
    note = conv_animation(result).layout.annotations[0].text
    assert "…" in note and len(note) < 600
    assert _final_number(note) == pytest.approx(float(result.output[0, 0, 0]))
    assert note.count("<br>") == 3  # one line per input channel, then their sum


def test_pad_cells_are_marked() -> None:
    fig = conv_animation(_conv(padding=2))
    pad = [t for t in _traces_by_type(fig, "heatmap") if t.hovertemplate and "padding" in t.hovertemplate]
    assert pad and np.isfinite(np.asarray(pad[0].z, dtype=float)).sum() == 9 * 9 - 5 * 5


def test_channel_out_of_range_is_an_input_error() -> None:
    with pytest.raises(InputError):
        conv_animation(_conv(), out_channel=1)


def _json_size(fig: go.Figure) -> int:
    return len(fig.to_json())


@pytest.mark.parametrize("kernel, padding, dilation", [(1, 4, 1), (3, 6, 2), (7, 6, 1)])
def test_largest_conv_animation_stays_small(kernel: int, padding: int, dilation: int) -> None:
    result = _conv(c_in=MAX_CONV_CHANNELS, c_out=MAX_CONV_CHANNELS, h=12, w=12, kh=kernel, kw=kernel,
                   padding=padding, dilation=dilation)
    assert len(result.steps) <= MAX_ANIMATION_FRAMES
    fig = conv_animation(result, out_channel=3)
    size = _json_size(fig)
    print(f"conv animation k={kernel} p={padding} d={dilation}: {len(fig.frames)} frames, {size / 1e6:.2f} MB")
    assert len(fig.frames) == len(result.steps)
    assert size < MAX_JSON_BYTES


# --- pooling -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, kernel, stride, padding, dilation", [
    ("max", 2, None, 0, 1), ("max", 3, 2, 1, 1), ("max", 2, 1, 1, 2), ("avg", 2, None, 1, 1), ("avg", 3, 1, 0, 1),
])
def test_pool_animation(kind: str, kernel: int, stride, padding: int, dilation: int) -> None:
    x = random_values((2, 6, 5), seed=4, low=0, high=9)
    result = pool2d_steps(x, kind=kind, kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    fig = pool_animation(result, channel=1)
    assert len(fig.frames) == len(result.steps)
    _check_animation_controls(fig)
    for frame, step in zip(fig.frames, result.steps, strict=True):
        note = _note(frame)
        assert _final_number(note) == pytest.approx(float(result.output[1, step.row, step.col]), rel=1e-3)
        assert note.split("= ", 1)[1].startswith("max(" if kind == "max" else "(")
        if kind == "max":  # the star sits on the window's maximum
            (star,) = [d for d in frame.data if d.type == "scatter" and len(d.x) == 1 and d.x[0] is not None]
            row, col = result.argmax[1, step.row, step.col].tolist()
            assert (star.y[0], star.x[0]) == (row, col)
        else:
            assert f"/ {kernel * kernel} =" in note
    assert _json_size(pool_animation(pool2d_steps(random_values((4, 12, 12), seed=0), kernel=1))) < MAX_JSON_BYTES


# --- transposed convolution ----------------------------------------------------------------------------


@pytest.mark.parametrize("c_in, c_out, n, k, stride, padding, output_padding, dilation", [
    (1, 1, 3, 3, 2, 1, 0, 1), (1, 1, 2, 2, 1, 0, 0, 1), (2, 3, 3, 2, 2, 0, 1, 1), (1, 2, 3, 3, 1, 1, 1, 2),
])
def test_transposed_figures(c_in, c_out, n, k, stride, padding, output_padding, dilation) -> None:
    x, weight, bias = random_transposed_example(in_channels=c_in, out_channels=c_out, height=n, width=n,
                                                kernel_h=k, kernel_w=k, bias=True, seed=2)
    result = conv_transpose2d_three_ways(x, weight, bias, stride=stride, padding=padding,
                                         output_padding=output_padding, dilation=dilation)
    figures = transposed_figures(result, out_channel=c_out - 1)
    assert isinstance(figures, TransposedFigures)
    scatter, zero_insert, matrix = figures.scatter, figures.zero_insert, figures.matrix
    assert len(scatter.frames) == n * n
    _check_animation_controls(scatter)
    # the canvas of the last frame, cropped, plus the bias, is the output
    (canvas,) = [d for d in scatter.frames[-1].data if d.type == "heatmap" and d.z is not None]
    last = np.nan_to_num(np.asarray(canvas.z, dtype=float))
    out_h, out_w = result.output.shape[1:]
    cropped = last[padding : padding + out_h, padding : padding + out_w] + float(bias[c_out - 1])
    np.testing.assert_allclose(cropped, result.output[c_out - 1].numpy(), rtol=1e-6)
    assert len(zero_insert.frames) == out_h * out_w
    _check_animation_controls(zero_insert)
    assert _final_number(_note(zero_insert.frames[-1])) == pytest.approx(float(result.output[c_out - 1, -1, -1]))
    # (c): C, Cᵀ, x and y, with y = Cᵀx
    heatmaps = _traces_by_type(matrix, "heatmap")
    assert len(heatmaps) == 4
    c, ct, xv, yv = (np.asarray(h.z, dtype=float) for h in heatmaps)
    np.testing.assert_array_equal(ct, c.T)
    np.testing.assert_allclose(ct @ xv[:, 0], yv[:, 0], atol=1e-4)
    assert c.shape == tuple(result.matrix.shape)


def test_large_transposed_matrix_shows_one_block() -> None:
    x, weight, bias = random_transposed_example(in_channels=4, out_channels=4, height=12, width=12, kernel_h=7,
                                                kernel_w=7, seed=0)
    result = conv_transpose2d_three_ways(x, weight, bias)
    figures = transposed_figures(result, out_channel=3, lang="zh")
    c = np.asarray(_traces_by_type(figures.matrix, "heatmap")[0].z)
    assert c.shape == (12 * 12, 18 * 18)  # the input 0 → output 0 block of the 576 × 1296 matrix
    assert "576" in figures.matrix.layout.annotations[0].text
    for name in ("scatter", "zero_insert", "matrix"):
        fig = getattr(figures, name)
        size = _json_size(fig)
        print(f"transposed {name}: {size / 1e6:.2f} MB")
        assert size < MAX_JSON_BYTES
        assert CJK.search(fig.layout.title.text)


# --- cost and formula ----------------------------------------------------------------------------------


def test_cost_figure() -> None:
    cost = separable_cost()
    fig = cost_figure(cost)
    assert "39/108" in fig.layout.title.text and "0.36" in fig.layout.title.text
    bars = _traces_by_type(fig, "bar")
    params = {bar.name: bar.y[0] for bar in bars if bar.xaxis == "x"}
    macs = {bar.name: bar.y[0] for bar in bars if bar.xaxis == "x2"}
    assert sorted(params.values()) == sorted([cost.standard_params, cost.depthwise_params, cost.pointwise_params])
    assert sorted(macs.values()) == sorted([cost.standard_macs, cost.depthwise_macs, cost.pointwise_macs])
    assert CJK.search(cost_figure(cost, lang="zh").layout.title.text)


def test_size_formula_markdown() -> None:
    same = size_formula_markdown(conv_size_formula(7, 7, 3, 3, stride=2, padding=1))
    assert "= 4`" in same and "Height and width" in same
    both = size_formula_markdown(conv_size_formula(7, 5, 3, 3, stride=2, padding=1), lang="zh")
    assert "高：" in both and "宽：" in both


def test_what_each_view_shows() -> None:
    """The tab's outputs, in its order: figures first, then the formula and the "matches PyTorch" badges."""
    view = conv_view(size=5, kernel=3, stride=1, padding=0, dilation=1, in_channels=1, out_channels=2, groups=1,
                     bias=True, seed=0, channel=1)
    figure, formula, badge = conv_outputs(view, lang="zh")
    assert figure.to_json() == conv_animation(view.result, out_channel=1, lang="zh").to_json()
    assert formula == size_formula_markdown(view.formula, lang="zh") and "F.conv2d" in badge
    pool = pool_view(kind="max", size=4, channels=1, kernel=2, stride=None, padding=0, dilation=1, seed=0)
    assert "F.max_pool2d" in pool_outputs(pool)[2]
    transposed = transposed_view(size=2, kernel=2, stride=2, padding=0, output_padding=0, dilation=1, in_channels=1,
                                 out_channels=1, bias=False, seed=0)
    *figures, formula, checks = transposed_outputs(transposed)
    assert len(figures) == 3 and all(isinstance(f, go.Figure) for f in figures) and "= 4" in formula
    assert [line.split(":")[0] for line in checks.split("\n\n")] == ["(a) scatter-add", "(b) zeros + flipped kernel",
                                                                     "(c) y = Cᵀx"]
    assert checks.count("F.conv_transpose2d") == 3


def test_animations_are_valid_plotly_although_built_without_validation() -> None:
    # _figure skips plotly's per-property validation for speed; rebuilding from the dict validates everything.
    x, w, b = random_conv_example(in_channels=2, out_channels=2, height=5, width=5, kernel_h=3, kernel_w=3,
                                         groups=2, bias=True, seed=0)
    tx, tw, tb = random_transposed_example(in_channels=1, out_channels=2, height=3, width=3, bias=True)
    transposed = transposed_figures(conv_transpose2d_three_ways(tx, tw, tb, stride=2, padding=1))
    figures = [conv_animation(conv2d_steps(x, w, b, padding=1, groups=2), out_channel=1, lang="zh"),
               pool_animation(pool2d_steps(x, kind="avg", kernel=2)),
               transposed.scatter, transposed.zero_insert, transposed.matrix]
    for figure in figures:
        rebuilt = go.Figure(figure.to_dict())  # raises ValueError on any invalid property
        assert len(rebuilt.frames) == len(figure.frames)
