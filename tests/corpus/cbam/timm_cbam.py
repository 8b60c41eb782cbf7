"""timm's CbamModule: ChannelAttn (1x1 convs with biases, mean / amax) then SpatialAttn (conv + BatchNorm)."""

import torch
from torch import nn


class ChannelAttn(nn.Module):
    def __init__(self, channels, rd_ratio=1 / 16, rd_channels=None):
        super().__init__()
        rd_channels = rd_channels or max(1, int(channels * rd_ratio))
        self.fc1 = nn.Conv2d(channels, rd_channels, 1, bias=True)
        self.act = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(rd_channels, channels, 1, bias=True)
        self.gate = nn.Sigmoid()

    def forward(self, x):
        x_avg = self.fc2(self.act(self.fc1(x.mean((2, 3), keepdim=True))))
        x_max = self.fc2(self.act(self.fc1(x.amax((2, 3), keepdim=True))))
        return x * self.gate(x_avg + x_max)


class SpatialAttn(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(2, 1, kernel_size, padding=(kernel_size - 1) // 2, bias=False),
                                  nn.BatchNorm2d(1))
        self.gate = nn.Sigmoid()

    def forward(self, x):
        x_attn = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return x * self.gate(self.conv(x_attn))


class CBAM(nn.Module):
    def __init__(self, channels, reduction=16, kernel_size=7):
        super().__init__()
        self.channel = ChannelAttn(channels, rd_channels=max(1, channels // reduction))
        self.spatial = SpatialAttn(kernel_size)

    def forward(self, x):
        return self.spatial(self.channel(x))
