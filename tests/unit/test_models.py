"""Every CNN of the primer: shapes, gradients, the features/classifier split, and the paper's building blocks."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from playground.models import (
    VGG,
    AlexNet,
    DenseBlock,
    DenseNet,
    DepthwiseSeparable,
    GoogLeNet,
    Inception,
    InvertedResidual,
    LeNet,
    MobileNetV1,
    MobileNetV2,
    Residual,
    ResNet,
    vgg_block,
)

CNNS = [LeNet, AlexNet, VGG, GoogLeNet, ResNet, MobileNetV1, MobileNetV2, DenseNet]


def _images(batch: int = 2, channels: int = 3, seed: int = 0) -> torch.Tensor:
    return torch.randn(batch, channels, 32, 32, generator=torch.Generator().manual_seed(seed))


@pytest.fixture(params=CNNS, ids=lambda cls: cls.__name__)
def cnn(request) -> type[nn.Module]:
    return request.param


def test_forward_gives_one_score_per_class(cnn):
    torch.manual_seed(0)
    out = cnn()(_images())
    assert out.shape == (2, 10)
    assert torch.isfinite(out).all()


def test_num_classes_sets_the_head(cnn):
    torch.manual_seed(0)
    model = cnn(num_classes=42)
    assert model(_images()).shape == (2, 42)
    assert model.classifier[-1].out_features == 42


def test_one_input_channel(cnn):
    torch.manual_seed(0)
    assert cnn(in_channels=1)(_images(channels=1)).shape == (2, 10)


def test_backward_reaches_every_parameter(cnn):
    torch.manual_seed(0)
    model = cnn(num_classes=42)
    model(_images()).sum().backward()
    missing = [name for name, p in model.named_parameters() if p.grad is None]
    assert not missing, missing


def test_features_then_classifier_is_forward(cnn):
    torch.manual_seed(0)
    model = cnn().eval()  # dropout off, batch norm on its running statistics
    x = _images()
    assert isinstance(model.features, nn.Sequential) and isinstance(model.classifier, nn.Sequential)
    torch.testing.assert_close(model.classifier(model.features(x)), model(x))
    assert isinstance(model.classifier[-1], nn.Linear)
    assert all(not name.isdigit() for name, _ in model.features.named_children()), "stages must be named"


def test_no_inplace_and_no_lazy_modules(cnn):
    model = cnn()
    inplace = [name for name, m in model.named_modules() if getattr(m, "inplace", False)]
    lazy = [name for name, m in model.named_modules() if isinstance(m, nn.modules.lazy.LazyModuleMixin)]
    assert not inplace and not lazy, (inplace, lazy)


def test_lenet_shapes_follow_the_primer_comments():
    model = LeNet()
    names = ["features.conv1", "features.pool1", "features.conv2", "features.pool2",
             "classifier.fc1", "classifier.fc2", "classifier.fc3"]
    shapes = {}
    modules = dict(model.named_modules())
    handles = [modules[name].register_forward_hook(
        lambda module, args, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))) for name in names]
    try:
        model(_images(batch=1))
    finally:
        for handle in handles:
            handle.remove()
    assert shapes == {
        "features.conv1": (16, 28, 28), "features.pool1": (16, 14, 14),
        "features.conv2": (32, 10, 10), "features.pool2": (32, 5, 5),
        "classifier.fc1": (120,), "classifier.fc2": (84,), "classifier.fc3": (10,),
    }


def test_vgg_block_is_the_primers():
    block = vgg_block(2, 3, 8)
    assert [type(m) for m in block] == [nn.Conv2d, nn.ReLU, nn.Conv2d, nn.ReLU, nn.MaxPool2d]
    assert block(_images()).shape == (2, 8, 16, 16)


@pytest.mark.parametrize(("use_1x1conv", "strides", "shape"), [(False, 1, (2, 8, 32, 32)), (True, 2, (2, 16, 16, 16))])
def test_residual_shapes(use_1x1conv, strides, shape):
    block = Residual(8 if not use_1x1conv else 3, shape[1], use_1x1conv=use_1x1conv, strides=strides)
    assert (block.conv3 is not None) == use_1x1conv
    x = _images(channels=8) if not use_1x1conv else _images()
    assert block(x).shape == shape


def test_residual_adds_its_input_before_the_last_relu():
    torch.manual_seed(0)
    block = Residual(8, 8).eval()
    with torch.no_grad():  # make the batch norms do something
        for bn in (block.bn1, block.bn2):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
    x = _images(channels=8)
    expected = torch.relu(block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x))))) + x)
    torch.testing.assert_close(block(x), expected)


def test_inverted_residual_ends_in_a_linear_bottleneck():
    block = InvertedResidual(8, 8, stride=1, expand_ratio=6)
    layers = list(block.conv.children())
    assert isinstance(layers[-2], nn.Conv2d) and layers[-2].kernel_size == (1, 1)  # the projection
    assert isinstance(layers[-1], nn.BatchNorm2d)  # … and nothing but batch norm after it
    assert sum(isinstance(m, nn.ReLU6) for m in layers) == 2  # after the expansion and the depthwise conv only
    torch.manual_seed(0)
    block.eval()
    x = _images(channels=8)
    assert (block.conv(x) < 0).any()  # no ReLU clipped the projection


@pytest.mark.parametrize(("in_channels", "out_channels", "stride", "skip"),
                         [(8, 8, 1, True), (8, 8, 2, False), (8, 16, 1, False), (8, 16, 2, False)])
def test_inverted_residual_skips_only_when_shapes_match(in_channels, out_channels, stride, skip):
    torch.manual_seed(0)
    block = InvertedResidual(in_channels, out_channels, stride=stride, expand_ratio=6).eval()
    assert block.use_res_connect == skip
    x = _images(channels=in_channels)
    expected = block.conv(x) + x if skip else block.conv(x)
    torch.testing.assert_close(block(x), expected)
    assert block(x).shape == (2, out_channels, 32 // stride, 32 // stride)


def test_inception_concatenates_its_four_paths():
    block = Inception(12, 4, (6, 8), (2, 3), 5)
    out = block(_images(channels=12))
    assert out.shape == (2, 4 + 8 + 3 + 5, 32, 32)
    assert block.out_channels == 4 + 8 + 3 + 5


def test_dense_block_grows_by_the_growth_rate():
    block = DenseBlock(num_layers=3, in_channels=5, growth_rate=4)
    x = _images(channels=5)
    out = block(x)
    assert out.shape == (2, 5 + 3 * 4, 32, 32) and block.out_channels == 5 + 3 * 4
    torch.testing.assert_close(out[:, :5], x)  # concatenation keeps the input as it was


def test_mobilenet_v1_convolutions_are_depthwise_separable():
    model = MobileNetV1()
    blocks = [m for m in model.modules() if isinstance(m, DepthwiseSeparable)]
    assert blocks
    for block in blocks:
        assert block.depthwise.groups == block.depthwise.in_channels == block.depthwise.out_channels
        assert block.pointwise.kernel_size == (1, 1) and block.pointwise.groups == 1
