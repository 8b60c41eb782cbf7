"""Separate query, key and value projections (as many re-implementations write them), proj for the output."""

import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError("channels must be divisible by heads")
        self.heads = heads
        self.query = nn.Linear(channels, channels)
        self.key = nn.Linear(channels, channels)
        self.value = nn.Linear(channels, channels)
        self.proj = nn.Linear(channels, channels)

    def forward(self, x):
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)

        def split(t):
            return t.view(b, h * w, self.heads, c // self.heads).transpose(1, 2)

        q, k, v = split(self.query(tokens)), split(self.key(tokens)), split(self.value(tokens))
        attn = torch.softmax(q @ k.transpose(-2, -1) * (c // self.heads) ** -0.5, dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, h * w, c)
        return self.proj(out).transpose(1, 2).reshape(b, c, h, w)
