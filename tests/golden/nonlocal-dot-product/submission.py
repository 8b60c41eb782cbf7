import torch
import torch.nn.functional as F
from torch import nn


class NonLocalBlock(nn.Module):
    def __init__(self, channels, inter_channels=None):
        super().__init__()
        self.inter = inter_channels or max(1, channels // 2)
        self.theta = nn.Conv2d(channels, self.inter, 1)
        self.phi = nn.Conv2d(channels, self.inter, 1)
        self.g = nn.Conv2d(channels, self.inter, 1)
        self.W = nn.Sequential(nn.Conv2d(self.inter, channels, 1), nn.BatchNorm2d(channels))
        nn.init.zeros_(self.W[1].weight)
        nn.init.zeros_(self.W[1].bias)


    def forward(self, x):
        b, c, h, w = x.shape
        theta = self.theta(x).flatten(2).transpose(1, 2)
        phi = self.phi(x).flatten(2)
        g = self.g(x).flatten(2).transpose(1, 2)
        f = theta @ phi
        attention = f / f.shape[-1]
        y = (attention @ g).transpose(1, 2).reshape(b, self.inter, h, w)
        return self.W(y) + x
