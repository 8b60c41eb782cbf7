"""Functional: the 1-D kernel as a parameter, F.conv1d, adaptive_avg_pool2d."""

import math

import torch
import torch.nn.functional as F
from torch import nn


class ECA(nn.Module):
    def __init__(self, in_planes, gamma=2, b=1):
        super().__init__()
        t = int(abs((math.log2(in_planes) + b) / gamma))
        self.k = t if t % 2 else t + 1
        self.kernel = nn.Parameter(torch.empty(1, 1, self.k).uniform_(-1 / self.k ** 0.5, 1 / self.k ** 0.5))

    def forward(self, x):
        b, c = x.shape[:2]
        y = F.adaptive_avg_pool2d(x, 1).view(b, 1, c)
        gate = torch.sigmoid(F.conv1d(y, self.kernel, padding=self.k // 2))
        return x * gate.view(b, c, 1, 1)
