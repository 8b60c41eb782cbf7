"""Conv1d projections over the flattened positions (B, C, N), the heads split from the channel axis."""

import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError("channels must be divisible by heads")
        self.heads = heads
        self.qkv = nn.Conv1d(channels, 3 * channels, 1)
        self.proj = nn.Conv1d(channels, channels, 1, bias=False)

    def forward(self, x):
        b, c, h, w = x.shape
        d = c // self.heads
        q, k, v = self.qkv(x.reshape(b, c, h * w)).reshape(b, 3, self.heads, d, h * w).unbind(1)
        attn = torch.softmax(torch.einsum("bhdn,bhdm->bhnm", q, k) / d ** 0.5, dim=-1)
        out = torch.einsum("bhnm,bhdm->bhdn", attn, v).reshape(b, c, h * w)
        return self.proj(out).reshape(b, c, h, w)
