"""mmcv's NonLocal2d style: embedded Gaussian with use_scale (divide by sqrt(inter)), conv_out zero-initialised
and no norm, einsum for the pairwise function."""

import torch
from torch import nn


class NonLocalBlock(nn.Module):
    def __init__(self, in_channels, inter_channels=None, reduction=2, use_scale=True):
        super().__init__()
        self.inter = inter_channels or max(in_channels // reduction, 1)
        self.use_scale = use_scale
        self.g = nn.Conv2d(in_channels, self.inter, 1)
        self.theta = nn.Conv2d(in_channels, self.inter, 1)
        self.phi = nn.Conv2d(in_channels, self.inter, 1)
        self.conv_out = nn.Conv2d(self.inter, in_channels, 1)
        nn.init.normal_(self.g.weight, std=0.01)
        nn.init.normal_(self.theta.weight, std=0.01)
        nn.init.normal_(self.phi.weight, std=0.01)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x):
        n, _, h, w = x.shape
        theta_x = self.theta(x).view(n, self.inter, -1)
        phi_x = self.phi(x).view(n, self.inter, -1)
        g_x = self.g(x).view(n, self.inter, -1)
        pairwise = torch.einsum("bci,bcj->bij", theta_x, phi_x)
        if self.use_scale:
            pairwise = pairwise / theta_x.shape[1] ** 0.5
        pairwise = pairwise.softmax(dim=-1)
        y = torch.einsum("bij,bcj->bci", pairwise, g_x).reshape(n, self.inter, h, w)
        return x + self.conv_out(y)
