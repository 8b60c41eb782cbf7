"""Tokens with Linear projections and bmm; W = Linear then BatchNorm1d over channels, zero-initialised."""

import torch
from torch import nn


class NonLocalBlock(nn.Module):
    def __init__(self, channels, inter_channels=None):
        super().__init__()
        inter = inter_channels if inter_channels is not None else max(1, channels // 2)
        self.theta = nn.Linear(channels, inter, bias=False)
        self.phi = nn.Linear(channels, inter, bias=False)
        self.g = nn.Linear(channels, inter, bias=False)
        self.out = nn.Linear(inter, channels)
        self.norm = nn.BatchNorm1d(channels)
        nn.init.zeros_(self.norm.weight)
        nn.init.zeros_(self.norm.bias)

    def forward(self, x):
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        attention = torch.bmm(self.theta(tokens), self.phi(tokens).transpose(1, 2)).softmax(dim=2)
        y = self.out(torch.bmm(attention, self.g(tokens)))
        z = self.norm(y.transpose(1, 2))
        return z.reshape(b, c, h, w) + x
