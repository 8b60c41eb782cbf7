import torch
from torch import nn


class SEBlock(nn.Module):
    """Squeeze-and-Excitation block.

    Contract:
        SEBlock(channels, reduction=16)
        forward(x: (B, C, H, W)) -> x rescaled per channel, same shape as x
        parameters: 2 * C * h with h = max(1, channels // reduction) (biases allowed)
    """

    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        # TODO: excitation MLP: C -> hidden, ReLU, hidden -> C, sigmoid

    def forward(self, x):
        # TODO: squeeze: global average pool over H and W -> (B, C)
        # TODO: excitation: the MLP gives one gate in (0, 1) per channel
        # TODO: scale: return x * gate (reshaped to (B, C, 1, 1))
        raise NotImplementedError("SEBlock.forward")
