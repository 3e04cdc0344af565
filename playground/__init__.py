"""Deep Learning Playground: the primer's lessons as live PyTorch computations.

Importing the package has no side effects: nothing is downloaded, no weights are loaded and no GPU is
touched until a lesson asks for it.
"""

__version__ = "0.1.0"
