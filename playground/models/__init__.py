"""Every network of the app, one readable file per family; nothing here imports other project code.

Tabs, lessons and the training loop all build their networks from these classes, so the code panel
of a tab shows exactly what runs.
"""

from .activations import ACTIVATION_NAMES, make_activation
from .alexnet import AlexNet
from .densenet import DenseBlock, DenseLayer, DenseNet, TransitionLayer
from .googlenet import GoogLeNet, Inception
from .lenet import LeNet
from .mlp import MLP
from .mobilenet import DepthwiseSeparable, InvertedResidual, MobileNetV1, MobileNetV2
from .resnet import ResNet, Residual
from .vgg import VGG, vgg_block

__all__ = [
    "ACTIVATION_NAMES",
    "MLP",
    "VGG",
    "AlexNet",
    "DenseBlock",
    "DenseLayer",
    "DenseNet",
    "DepthwiseSeparable",
    "GoogLeNet",
    "Inception",
    "InvertedResidual",
    "LeNet",
    "MobileNetV1",
    "MobileNetV2",
    "ResNet",
    "Residual",
    "TransitionLayer",
    "make_activation",
    "vgg_block",
]
