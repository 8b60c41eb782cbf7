import torch
from torch import nn


class SpatialAttention(nn.Module):
    """As timm's SpatialAttn: a ConvNormAct without the activation, then a sigmoid gate."""

    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(2, 1, kernel_size, padding=(kernel_size - 1) // 2, bias=False),
                                  nn.BatchNorm2d(1))

    def forward(self, x):
        x_attn = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return self.conv(x_attn).sigmoid()
