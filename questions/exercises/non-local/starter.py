import torch
from torch import nn


class NonLocalBlock(nn.Module):
    """Non-local block, embedded Gaussian version.

    Contract:
        NonLocalBlock(channels, inter_channels=None)   # inter = max(1, channels // 2) by default
        forward(x: (B, C, H, W)) -> z = W(y) + x, same shape as x
        at initialisation the block is the identity (zero-initialised BatchNorm after W)
    """

    def __init__(self, channels, inter_channels=None):
        super().__init__()
        # TODO: inter channels; theta, phi, g: 1x1 convs C -> inter
        # TODO: W: 1x1 conv inter -> C, then BatchNorm2d(C) with weight and bias set to zero

    def forward(self, x):
        # TODO: theta (B, N, inter), phi (B, inter, N), g (B, N, inter) with N = H * W
        # TODO: attention = softmax(theta @ phi, dim=-1); y = attention @ g, back to (B, inter, H, W)
        # TODO: return W(y) + x
        raise NotImplementedError("NonLocalBlock.forward")
