"""Choosing the network a view runs: bundled, ImageNet or the learner's own."""

from __future__ import annotations

import pytest
import torch

from playground import zoo
from playground.errors import InputError
from playground.lessons.networks import resolve


def test_bundled_networks_are_shared_and_in_eval_mode():
    network = resolve("lenet", "bundled")
    assert network.shared and not network.model.training
    assert resolve("lenet", "bundled").model is network.model  # loaded once
    assert network.classes == tuple(str(d) for d in range(10)) and network.input.size == 32


def test_the_learners_trained_network_is_their_own_copy():
    torch.manual_seed(3)
    own = zoo.get_entry("lenet").build()
    network = resolve("lenet", "trained", trained={"lenet": {"state_dict": own.state_dict(), "accuracy": 0.5}})
    assert not network.shared and not network.model.training
    assert torch.equal(network.model.features.conv1.weight, own.features.conv1.weight)
    assert "50.0%" in network.label


@pytest.mark.parametrize("name, weights, trained, key", [
    ("lenet", "trained", {}, "net.err.not_trained"),
    ("lenet", "imagenet", None, "zoo.err.no_imagenet"),
    ("lenet", "pirate", None, "net.err.weights"),
    ("lenet9", "bundled", None, "zoo.err.unknown"),
])
def test_unavailable_choices_are_named(name, weights, trained, key):
    with pytest.raises(InputError) as info:
        resolve(name, weights, trained=trained)
    assert info.value.key == key
