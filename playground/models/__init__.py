"""Every network of the app, one readable file per family; nothing here imports other project code.

Tabs, lessons and the training loop all build their networks from these classes, so the code panel
of a tab shows exactly what runs. Every network keeps the constructor arguments that rebuild it in
``model_args`` (``type(model)(**model.model_args)``, as nanoGPT's checkpoints do); the bundled weights'
manifest records them.
"""

from .activations import ACTIVATION_NAMES, make_activation
from .alexnet import AlexNet
from .densenet import DenseBlock, DenseLayer, DenseNet, TransitionLayer
from .fcn import FCN, bilinear_kernel, bilinear_upsampling
from .googlenet import GoogLeNet, Inception
from .lenet import LeNet
from .mlp import MLP
from .mobilenet import DepthwiseSeparable, InvertedResidual, MobileNetV1, MobileNetV2
from .recurrent import CharLM, GRUCell, LSTMCell, RNNCell
from .resnet import Residual, ResNet
from .transformer import MultiHeadAttention, Seq2SeqTransformer, VisionTransformer
from .vgg import VGG, vgg_block

__all__ = [
    "ACTIVATION_NAMES",
    "MLP",
    "MultiHeadAttention",
    "VGG",
    "AlexNet",
    "CharLM",
    "DenseBlock",
    "DenseLayer",
    "DenseNet",
    "DepthwiseSeparable",
    "FCN",
    "GRUCell",
    "GoogLeNet",
    "Inception",
    "InvertedResidual",
    "LSTMCell",
    "LeNet",
    "MobileNetV1",
    "MobileNetV2",
    "RNNCell",
    "ResNet",
    "Seq2SeqTransformer",
    "Residual",
    "TransitionLayer",
    "VisionTransformer",
    "bilinear_kernel",
    "bilinear_upsampling",
    "make_activation",
    "vgg_block",
]
