"""Convolution tab: the server's whole work for one view (readable loop + PyTorch check + figure + JSON),
against the interactive budget the foundation issue sets (≤ 50 ms for a 7×7 input and a 3×3 kernel).

A bare F.conv2d on these sizes takes microseconds, so a ratio to it says nothing; the budget is the floor
that matters for a learner dragging a slider. The larger cases show how the cost grows to the limits.
"""

from __future__ import annotations

from bench._util import Row, median_time
from playground.lessons import conv_inputs, convolution, transposed
from playground.viz import conv as conv_viz
from playground.viz import transposed as transposed_viz

BUDGET_S = 0.050
BUDGET = "interactive budget 50 ms"


def _conv_view(n: int, k: int, p: int, c_in: int, c_out: int):
    x, w, b = conv_inputs.random_conv_example(in_channels=c_in, out_channels=c_out, height=n, width=n, kernel_h=k,
                                              kernel_w=k, groups=1, bias=True, seed=0)
    return lambda: conv_viz.conv_animation(convolution.conv2d_steps(x, w, b, padding=p)).to_json()  # what gr.Plot sends


def _pool_view():
    x = conv_inputs.random_values((1, 12, 12), seed=0)
    return lambda: conv_viz.pool_animation(convolution.pool2d_steps(x, kind="max", kernel=2)).to_json()


def _transposed_view():
    x, w, _ = conv_inputs.random_transposed_example(height=4, width=4, seed=0)

    def view():
        figures = transposed_viz.transposed_figures(transposed.conv_transpose2d_three_ways(x, w, stride=2, padding=1))
        return [f.to_json() for f in (figures.scatter, figures.zero_insert, figures.matrix)]

    return view


def run() -> list[Row]:
    views = [
        ("conv animation 7×7, k3, 1→1 channel", _conv_view(7, 3, 0, 1, 1), "≤ 1×"),
        ("conv animation 12×12, k3, p1, 4→4 channels", _conv_view(12, 3, 1, 4, 4), ""),
        ("pool animation 12×12, max 2×2", _pool_view(), ""),
        ("transposed three ways 4×4 → 7×7", _transposed_view(), ""),
    ]
    return [Row(label, median_time(view), BUDGET_S, BUDGET, goal) for label, view, goal in views]
