"""1x1 convolutions for qkv and proj, einsum over heads (the rearrange-style of popular repositories)."""

import torch
from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads != 0:
            raise ValueError(f"{channels} channels cannot be split into {heads} heads")
        self.heads = heads
        self.scale = (channels // heads) ** -0.5
        self.qkv = nn.Conv2d(channels, channels * 3, 1, bias=False)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = (t.reshape(b, self.heads, c // self.heads, h * w) for t in self.qkv(x).chunk(3, dim=1))
        sim = torch.einsum("bhdi,bhdj->bhij", q * self.scale, k)
        attn = sim.softmax(dim=-1)
        out = torch.einsum("bhij,bhdj->bhid", attn, v)
        out = out.permute(0, 1, 3, 2).reshape(b, c, h, w)
        return self.proj(out)
