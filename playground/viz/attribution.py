"""Pictures of attribution maps: a map laid over what the network saw, the map alone, and the sanity check.

Colours: warm (yellow → dark red) for evidence that raises the class score, cool (light → dark blue) for evidence
that lowers it, and a diverging blue–white–red centred at 0 when both are shown. The map is scaled by a high
percentile of its magnitudes rather than its maximum, because a handful of extreme pixels (saliency's typical
speckle) would otherwise leave everything else pale.

Each pixel's colour is blended in proportion to its own strength (``opacity × value``), so pixels that do not
matter keep the picture's own colour, an all-zero map returns the picture unchanged, and opacity 0 returns the
picture. 32-pixel digits are enlarged by an integer factor (nearest neighbour, so each network pixel stays a
visible block) to at least ~256 pixels; the functions return the enlarged image.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots

from playground.errors import InputError
from playground.i18n import Text, t
from playground.lessons.attribution import METHOD_KEYS, Attribution, SanityCheck, check_shading
from playground.lessons.images import Note
from playground.viz.images import note_lines
from playground.viz.theme import FONT, base_layout

SIGN_KEYS = {"positive": "attr.sign.positive", "negative": "attr.sign.negative", "absolute": "attr.sign.absolute",
             "all": "attr.sign.all"}
# The tab's control labels (one place, so the UI and the notebooks use the same words).
CONTROL_KEYS = {"method": "attr.method", "target": "attr.target", "steps": "attr.steps", "batch": "attr.batch",
                "layer": "attr.layer", "window": "attr.window", "stride": "attr.stride", "sign": "attr.sign",
                "opacity": "attr.opacity", "clip": "attr.clip"}
MIN_SIDE = 256  # smaller pictures are enlarged by a whole factor to about this width

# Colour stops (position in [0, 1] or [-1, 1], RGB), interpolated linearly per channel; 0 is white in each.
WARM = ((0.0, (255, 255, 255)), (0.35, (254, 178, 76)), (0.7, (240, 59, 32)), (1.0, (128, 0, 38)))
COOL = ((0.0, (255, 255, 255)), (0.35, (158, 202, 225)), (0.7, (49, 130, 189)), (1.0, (8, 48, 107)))
DIVERGING = ((-1.0, (5, 48, 97)), (-0.5, (67, 147, 195)), (0.0, (255, 255, 255)), (0.5, (214, 96, 77)),
             (1.0, (103, 0, 31)))


def _colour(values: np.ndarray, stops: tuple) -> np.ndarray:
    """(H, W) values → (H, W, 3) float RGB in [0, 255] along the colour stops."""
    positions = np.array([p for p, _ in stops])
    rgb = np.array([c for _, c in stops], dtype=np.float64)  # (stops, 3)
    return np.stack([np.interp(values, positions, rgb[:, k]) for k in range(3)], axis=-1)


def scaled(heat: np.ndarray, *, sign: str = "absolute",
           clip_percentile: float = 99.0) -> tuple[np.ndarray, tuple[Note, ...]]:
    """The map as strengths: in [0, 1] for one sign or the magnitude, in [−1, 1] for "all".

    The bound is the ``clip_percentile`` of the non-zero magnitudes shown (zeros excluded: a map that is mostly
    zero, as a ReLU'd Grad-CAM or one sign of a saliency map, would otherwise get a bound of 0); values beyond it
    are clipped. No non-zero value → all zeros and a note, never a division by zero.
    """
    check_shading(sign, clip_percentile)
    notes: list[Note] = []
    heat = np.asarray(heat, dtype=np.float64)
    if not np.isfinite(heat).all():
        notes.append(Note("attr.note.non_finite"))
        heat = np.nan_to_num(heat, nan=0.0, posinf=0.0, neginf=0.0)
    shown = {"positive": np.maximum(heat, 0), "negative": np.maximum(-heat, 0), "absolute": np.abs(heat),
             "all": heat}[sign]
    magnitudes = np.abs(shown)
    nonzero = magnitudes[magnitudes > 0]
    bound = float(np.percentile(nonzero, clip_percentile)) if nonzero.size else 0.0
    if not bound > 0:
        notes.append(Note("attr.note.nothing_to_show", {"sign": Text(SIGN_KEYS[sign])}))
        return np.zeros_like(heat), tuple(notes)
    low = -1.0 if sign == "all" else 0.0
    return np.clip(shown / bound, low, 1.0), tuple(notes)


def enlargement(side: int) -> int:
    """The whole factor that brings a ``side``-pixel picture to about ``MIN_SIDE`` (1 for 224-pixel ones)."""
    return max(1, round(MIN_SIDE / max(side, 1)))


def _enlarge(array: np.ndarray, factor: int) -> np.ndarray:
    return array if factor == 1 else np.repeat(np.repeat(array, factor, axis=0), factor, axis=1)


def _rgb(strength: np.ndarray, sign: str) -> np.ndarray:
    if sign == "all":
        return _colour(strength, DIVERGING)
    return _colour(strength, COOL if sign == "negative" else WARM)


def overlay(seen: Image.Image, heat: np.ndarray, *, sign: str = "absolute", opacity: float = 0.5,
            clip_percentile: float = 99.0) -> tuple[np.ndarray, tuple[Note, ...]]:
    """The map over the picture the network saw: (S·k, S·k, 3) uint8 with k = ``enlargement(S)``, and notes.

    Each pixel is blended with weight ``opacity × |strength|`` toward its colour. Under it, the picture fades
    toward its own grey by ``opacity`` (as captum's blended heat map draws on a grey picture), so the map's
    colours stand out on a colourful photo too; opacity 0, or a map with nothing to show, gives the picture
    back unchanged.
    """
    check_shading(sign, clip_percentile, opacity)
    picture = np.asarray(seen.convert("RGB"), dtype=np.float64)  # (S, S, 3)
    heat = np.asarray(heat)
    if heat.shape != picture.shape[:2]:
        raise InputError("attr.err.shape", got="×".join(map(str, heat.shape)),
                         want="×".join(map(str, picture.shape[:2])))
    strength, notes = scaled(heat, sign=sign, clip_percentile=clip_percentile)
    grey = picture @ np.array([0.299, 0.587, 0.114])  # (S, S) luminance, ITU-R 601 as PIL's "L"
    fade = opacity if strength.any() else 0.0
    base = picture + (grey[..., None] - picture) * fade  # (S, S, 3): less colour as the map gets stronger
    alpha = (opacity * np.abs(strength))[..., None]  # (S, S, 1)
    blended = base * (1 - alpha) + _rgb(strength, sign) * alpha
    factor = enlargement(picture.shape[1])
    if factor > 1:
        notes += (Note("attr.note.enlarged", {"factor": factor}),)
    return _enlarge(np.clip(blended.round(), 0, 255).astype(np.uint8), factor), notes


def heat_image(heat: np.ndarray, *, sign: str = "absolute", clip_percentile: float = 99.0) -> np.ndarray:
    """The map alone, coloured as in ``overlay`` (zero is white), enlarged the same way: (S·k, S·k, 3) uint8."""
    strength, _ = scaled(heat, sign=sign, clip_percentile=clip_percentile)
    rgb = _rgb(strength, sign)
    return _enlarge(np.clip(rgb.round(), 0, 255).astype(np.uint8), enlargement(strength.shape[1]))


def sanity_figure(check: SanityCheck, seen: Image.Image, *, sign: str = "absolute", opacity: float = 0.6,
                  seed: int = 0, lang: str = "en") -> go.Figure:
    """The trained network's map beside the randomised copy's, the rank correlation in the title."""
    rho = check.rank_correlation
    method = t(METHOD_KEYS[check.original.method], lang)
    title = t("attr.fig.sanity", lang, method=method, rho=f"{rho:.2f}" if math.isfinite(rho) else "—")
    panels = [t("attr.fig.original", lang), t("attr.fig.randomised", lang, seed=seed)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=panels, horizontal_spacing=0.04)
    fig.update_layout(**base_layout(title, height=400))
    for col, result in enumerate((check.original, check.randomised), start=1):
        image, _ = overlay(seen, result.heat, sign=sign, opacity=opacity)
        fig.add_trace(go.Image(z=image, hoverinfo="skip"), row=1, col=col)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_annotations(font=FONT)
    return fig


def summary_markdown(result: Attribution, *, lang: str = "en", notes: tuple[Note, ...] = ()) -> str:
    """One result in words: method, class, probability and time; IG's completeness; every note (the lesson's
    and, via ``notes``, the overlay's)."""
    lines = [t("attr.summary", lang, method=t(METHOD_KEYS[result.method], lang), name=result.target_name,
               p=f"{result.probability:.1%}", seconds=f"{result.seconds:.2f}")]
    if result.convergence_delta is not None:
        lines.append(t("attr.delta", lang, delta=f"{result.convergence_delta:.2g}"))
    return "\n\n".join([*lines, "\n".join(note_lines((*result.notes, *notes), lang=lang))]).strip()


def sanity_markdown(check: SanityCheck, *, lang: str = "en") -> str:
    """The sanity check's caption (what it tests), its verdict and its notes."""
    verdict = check.verdict
    return "\n\n".join([t("attr.sanity.caption", lang), f"**{t(verdict.key, lang, **verdict.params)}**",
                         "\n".join(note_lines(check.notes, lang=lang))]).strip()
