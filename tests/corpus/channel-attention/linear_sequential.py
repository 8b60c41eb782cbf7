"""Linear layers on the pooled vectors, adaptive_avg_pool2d / adaptive_max_pool2d, inplace ReLU."""

import torch.nn.functional as F
from torch import nn


class ChannelAttention(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.shared = nn.Sequential(nn.Linear(channels, hidden, bias=True), nn.ReLU(inplace=True),
                                    nn.Linear(hidden, channels, bias=False))

    def forward(self, x):
        b, c = x.shape[:2]
        avg = self.shared(F.adaptive_avg_pool2d(x, 1).flatten(1))
        mx = self.shared(F.adaptive_max_pool2d(x, 1).flatten(1))
        return (avg + mx).sigmoid().view(b, c, 1, 1)
