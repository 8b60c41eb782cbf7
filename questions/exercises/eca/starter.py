import math

import torch
from torch import nn


class ECA(nn.Module):
    """Efficient Channel Attention.

    Contract:
        ECA(channels, gamma=2, b=1)
        forward(x: (B, C, H, W)) -> x rescaled per channel, same shape as x
        parameters: k, from t = int(abs((log2(C) + b) / gamma)); k = t if t is odd else t + 1
    """

    def __init__(self, channels, gamma=2, b=1):
        super().__init__()
        # TODO: compute k from the formula above
        # TODO: nn.Conv1d(1, 1, k, padding=k // 2, bias=False)

    def forward(self, x):
        # TODO: global average pool -> (B, C), viewed as (B, 1, C) for Conv1d
        # TODO: conv across channels, sigmoid, back to (B, C, 1, 1)
        # TODO: return x * gate
        raise NotImplementedError("ECA.forward")
