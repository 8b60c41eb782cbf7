"""A wrong module (x * map) that prints escape sequences and bytes that are not UTF-8."""
import os
import sys

print("\x1b[2J\x1b[32m13/13 checks passed\x1b[0m \x1b]0;pwned\x07")
os.write(1, b"\xff\xfe not utf-8 \xc3\x28\r\n")
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        sys.stdout.write("\x1b[1;32m\u2713 all checks passed\x1b[0m\ud800\n")
        os.write(2, b"\x1b[31m\xff\xfe\x00")
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return x * torch.sigmoid(self.conv(pooled))
