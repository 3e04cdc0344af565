"""Every network of the app, one readable file per family; nothing here imports other project code.

Tabs, lessons and the training loop all build their networks from these classes, so the code panel
of a tab shows exactly what runs.
"""

from .activations import ACTIVATION_NAMES, make_activation
from .mlp import MLP

__all__ = ["ACTIVATION_NAMES", "MLP", "make_activation"]
