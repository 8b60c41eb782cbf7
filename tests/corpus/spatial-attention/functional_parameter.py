"""Functional style: the kernel and a bias as parameters of the module, F.conv2d, max(...).values."""

import math

import torch
import torch.nn.functional as F
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1))
        self.weight = nn.Parameter(torch.empty(1, 2, kernel_size, kernel_size))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.pad = kernel_size // 2

    def forward(self, x):
        pooled = torch.stack([x.mean(dim=1), x.max(dim=1).values], dim=1)
        return torch.sigmoid(F.conv2d(pooled, self.weight, self.bias, padding=self.pad))
