"""Manual heads with bmm over (B·heads), qkv and proj with biases, amax-stabilised softmax written out."""

import math

import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError("channels must be a multiple of heads")
        self.proj = nn.Linear(channels, channels)
        self.qkv = nn.Linear(channels, 3 * channels)
        self.heads, self.d = heads, channels // heads

    def forward(self, x):
        b, c, h, w = x.shape
        n = h * w
        q, k, v = self.qkv(x.flatten(2).transpose(1, 2)).split(c, dim=-1)

        def heads(t):
            return t.reshape(b, n, self.heads, self.d).transpose(1, 2).reshape(b * self.heads, n, self.d)

        q, k, v = heads(q), heads(k), heads(v)
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(self.d)
        weights = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
        weights = weights / weights.sum(dim=-1, keepdim=True)
        out = torch.bmm(weights, v).reshape(b, self.heads, n, self.d).transpose(1, 2).reshape(b, n, c)
        return self.proj(out).transpose(1, 2).reshape(b, c, h, w)
