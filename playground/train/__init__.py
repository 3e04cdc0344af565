"""The primer's training loop (§1) and ``python -m playground.train NAME|all``, which writes the bundled weights."""
