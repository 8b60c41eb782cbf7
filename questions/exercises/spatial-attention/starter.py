import torch
from torch import nn


class SpatialAttention(nn.Module):
    """CBAM spatial attention (Q10).

    Contract:
        SpatialAttention(kernel_size=7)
        forward(x: (B, C, H, W)) -> attention map (B, 1, H, W), every value in (0, 1)
        parameters: 2 * kernel_size**2 (one Conv2d from 2 channels to 1, no bias)
    """

    def __init__(self, kernel_size=7):
        super().__init__()
        # TODO: a Conv2d from 2 channels (mean and max) to 1, kernel_size x kernel_size,
        #       padding kernel_size // 2 so that H and W are kept, bias=False
        # TODO: a sigmoid

    def forward(self, x):
        # TODO: mean and max of x over the channel dimension, each (B, 1, H, W)
        # TODO: stack them into (B, 2, H, W), convolve, squash with the sigmoid
        # TODO: return the map (B, 1, H, W), not x * map
        raise NotImplementedError("SpatialAttention.forward")
