"""timm's SpatialAttn (cbam.py): ConvNormAct(2, 1, k, apply_act=False) then a sigmoid gate, as a map."""

import torch
from torch import nn


class ConvNorm(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=((kernel_size - 1) // 2), bias=False)
        self.bn = nn.BatchNorm2d(out_channels)


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7, gate_layer=nn.Sigmoid):
        super().__init__()
        self.conv = ConvNorm(2, 1, kernel_size)
        self.gate = gate_layer()

    def forward(self, x):
        x_attn = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return self.gate(self.conv(x_attn))
