"""Functional: the shared MLP as two weight matrices, einsum, amax; the second layer declared first."""

import torch
from torch import nn


class ChannelAttention(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.w2 = nn.Parameter(torch.randn(channels, hidden) / hidden ** 0.5)
        self.w1 = nn.Parameter(torch.randn(hidden, channels) / channels ** 0.5)
        self.b1 = nn.Parameter(torch.zeros(hidden))

    def mlp(self, v):
        return torch.einsum("ch,bh->bc", self.w2, torch.relu(torch.einsum("hc,bc->bh", self.w1, v) + self.b1))

    def forward(self, x):
        logits = self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3)))
        return torch.sigmoid(logits)[..., None, None]
