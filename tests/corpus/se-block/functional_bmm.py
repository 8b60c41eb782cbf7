"""Functional: weights as parameters, F.linear, torch.sigmoid, the excitation declared in reverse order."""

import torch
import torch.nn.functional as F
from torch import nn


class SEBlock(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.up = nn.Parameter(torch.empty(channels, hidden))
        self.down = nn.Parameter(torch.empty(hidden, channels))
        nn.init.xavier_uniform_(self.up)
        nn.init.xavier_uniform_(self.down)

    def forward(self, x):
        squeezed = F.adaptive_avg_pool2d(x, 1).flatten(1)
        gate = torch.sigmoid(F.linear(F.relu(F.linear(squeezed, self.down)), self.up))
        return x * gate[:, :, None, None]
