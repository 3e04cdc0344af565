"""Weight initialisation shared by the networks without batch norm (AlexNet, VGG, GoogLeNet)."""

from torch import nn


def he_init_(model: nn.Module) -> None:
    """He et al. (2015, arXiv:1502.01852) initialisation of every convolution, as torchvision's VGG does.

    Without batch norm, PyTorch's default initialisation shrinks the signal from layer to layer, and these
    networks sit at chance for epochs before they start to learn.
    """
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            nn.init.zeros_(module.bias)
