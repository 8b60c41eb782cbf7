import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError("channels must be divisible by heads")
        self.heads = heads
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        d = c // self.heads
        q, k, v = self.qkv(x).chunk(3, dim=1)  # each (B, C, H, W)
        q, k, v = (t.reshape(b, self.heads, h * w, d) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / d ** 0.5
        out = torch.softmax(scores, dim=-1) @ v  # (B, heads, N, d)
        out = self.proj(out.reshape(b, c, h, w))
        return out
