"""Data that ships with the project (offline) and the seeded generators built on it.

* ``digits``: 5,000 MNIST digits (``assets/data/mnist_5k.npz``, built by ``python -m playground.data.build``)
  turned into coloured 32×32 RGB images, fresh colours and placement for every epoch.
"""
