"""ECA-Net's eca_layer (fixed k_size) wrapped to the contract: the wrapper computes k from the paper's formula."""

import math

from torch import nn


class eca_layer(nn.Module):  # noqa: N801 (the official name)
    def __init__(self, channel, k_size=3):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv = nn.Conv1d(1, 1, kernel_size=k_size, padding=(k_size - 1) // 2, bias=False)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        y = self.avg_pool(x)
        y = self.conv(y.squeeze(-1).transpose(-1, -2)).transpose(-1, -2).unsqueeze(-1)
        y = self.sigmoid(y)
        return x * y.expand_as(x)


class ECA(eca_layer):
    def __init__(self, channels, gamma=2, b=1):
        t = int(abs((math.log(channels, 2) + b) / gamma))
        super().__init__(channels, t if t % 2 else t + 1)
