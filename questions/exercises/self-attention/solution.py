import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError(f"channels ({channels}) must be divisible by heads ({heads})")
        self.heads = heads
        self.qkv = nn.Linear(channels, 3 * channels)
        self.proj = nn.Linear(channels, channels)

    def forward(self, x):
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)  # (B, N, C)
        qkv = self.qkv(tokens).reshape(b, h * w, 3, self.heads, c // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, heads, N, d)
        scores = q @ k.transpose(-2, -1) / (c // self.heads) ** 0.5  # (B, heads, N, N)
        out = torch.softmax(scores, dim=-1) @ v  # (B, heads, N, d)
        out = self.proj(out.transpose(1, 2).reshape(b, h * w, c))  # heads back together, then proj
        return out.transpose(1, 2).reshape(b, c, h, w)

