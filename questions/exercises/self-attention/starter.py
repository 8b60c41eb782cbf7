import torch
from torch import nn


class SelfAttention2d(nn.Module):
    """Multi-head scaled dot-product self-attention over the H·W positions of a feature map (Q9).

    Contract:
        SelfAttention2d(channels, heads=4)      # ValueError when channels % heads != 0
        forward(x: (B, C, H, W)) -> attention output (B, C, H, W), without the residual
        qkv: one projection C -> 3C (nn.Linear on tokens or nn.Conv2d(C, 3C, 1)), named `qkv`
        proj: one projection C -> C, named `proj`
        parameters: 4 * C**2 (+ biases)
    """

    def __init__(self, channels, heads=4):
        super().__init__()
        # TODO: raise ValueError when channels is not divisible by heads
        # TODO: self.qkv (C -> 3C) and self.proj (C -> C)

    def forward(self, x):
        # TODO: tokens (B, N, C) with N = H * W; q, k, v each (B, heads, N, d) with d = C // heads
        # TODO: softmax(q @ k^T / sqrt(d), dim=-1) @ v  (or torch.nn.functional.scaled_dot_product_attention)
        # TODO: heads back to (B, N, C), proj, then back to (B, C, H, W); no residual
        raise NotImplementedError("SelfAttention2d.forward")
