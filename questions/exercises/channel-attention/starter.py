import torch
from torch import nn


class ChannelAttention(nn.Module):
    """CBAM channel attention.

    Contract:
        ChannelAttention(channels, reduction=16)
        forward(x: (B, C, H, W)) -> attention map (B, C, 1, 1), every value in (0, 1)
        parameters: 2 * C * h with h = max(1, channels // reduction): ONE MLP shared by both branches
    """

    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        # TODO: one shared MLP: C -> hidden -> C with a ReLU in between (1x1 Conv2d or Linear)

    def forward(self, x):
        # TODO: global average pool and global max pool over H and W, each (B, C, 1, 1)
        # TODO: the same MLP on both, add, sigmoid
        # TODO: return the map (B, C, 1, 1), not x * map
        raise NotImplementedError("ChannelAttention.forward")
