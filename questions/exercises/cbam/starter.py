import torch
from torch import nn


class CBAM(nn.Module):
    """Convolutional Block Attention Module.

    Contract:
        CBAM(channels, reduction=16, kernel_size=7)
        forward(x: (B, C, H, W)) -> refined features, same shape as x:
            F' = channel_map(x) * x, then F'' = spatial_map(F') * F'
        parameters: 2 * C * h (h = max(1, channels // reduction), shared MLP) + 2 * kernel_size**2
    """

    def __init__(self, channels, reduction=16, kernel_size=7):
        super().__init__()
        # TODO: the channel attention (shared MLP) and the spatial attention (k x k conv, 2 -> 1)

    def forward(self, x):
        # TODO: channel attention first, then spatial attention on the refined features
        raise NotImplementedError("CBAM.forward")
