"""Pure computation, one module per lesson: tensors and numbers in, plain results out.

Nothing here imports gradio or plotly, so every lesson works from a notebook:

    >>> from playground.lessons.activations import softmax
    >>> [round(p, 2) for p in softmax([3, 1, -3]).probs.tolist()]
    [0.88, 0.12, 0.0]

Mistakes a learner can fix raise :class:`playground.errors.InputError`.
"""

from playground.errors import InputError

__all__ = ["InputError"]
