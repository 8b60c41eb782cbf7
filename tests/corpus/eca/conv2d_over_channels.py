"""A 1 x k Conv2d across the channel axis (the pooled vector laid out as a 1 x C image)."""

import math

import torch
from torch import nn


class ECA(nn.Module):
    def __init__(self, channels, gamma=2, b=1):
        super().__init__()
        t = int(abs((math.log2(channels) + b) / gamma))
        k = t if t % 2 else t + 1
        self.conv = nn.Conv2d(1, 1, (1, k), padding=(0, k // 2), bias=False)

    def forward(self, x):
        b, c = x.shape[:2]
        y = x.mean(dim=(2, 3)).view(b, 1, 1, c)
        return x * torch.sigmoid(self.conv(y)).view(b, c, 1, 1)
