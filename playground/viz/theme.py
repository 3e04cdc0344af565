"""One source of visual style for every figure: colours, fonts, margins, number formatting."""

from __future__ import annotations

import math

import plotly.graph_objects as go

# Colour-blind-safe qualitative palette (Okabe & Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#999999")
POSITIVE = "#0072B2"
NEGATIVE = "#D55E00"
NEUTRAL = "#999999"
DIVERGING = "RdBu"  # signed values (inputs, kernels, activations), centred on 0 by zmid=0
SEQUENTIAL = "Viridis"

FONT = dict(family="Inter, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif", size=13)


def base_layout(title: str | None = None, *, height: int = 420) -> dict:
    """Layout defaults shared by every figure (plotly_white, compact margins, legend on top)."""
    return dict(
        template="plotly_white",
        title=dict(text=title, x=0.01, xanchor="left") if title else None,
        font=FONT,
        height=height,
        margin=dict(l=50, r=20, t=60 if title else 30, b=45),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        hoverlabel=dict(font=FONT),
    )


def figure(title: str | None = None, *, height: int = 420) -> go.Figure:
    return go.Figure(layout=base_layout(title, height=height))


def fmt(value: float, digits: int = 4) -> str:
    """Compact number for labels: 0.88, -3, 1.2e+308, 0 — never '-0' or a 17-digit float."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.{digits}g}"
    return text
