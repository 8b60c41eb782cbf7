"""torch.nn.MultiheadAttention on the tokens (its in_proj is the qkv projection, out_proj the proj)."""

from torch import nn


class SelfAttention2d(nn.Module):
    def __init__(self, channels, heads=4):
        super().__init__()
        if channels % heads:
            raise ValueError("channels must be divisible by heads")
        self.attn = nn.MultiheadAttention(channels, heads, batch_first=True)

    def forward(self, x):
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        out, _ = self.attn(tokens, tokens, tokens, need_weights=False)
        return out.transpose(1, 2).reshape(b, c, h, w)
