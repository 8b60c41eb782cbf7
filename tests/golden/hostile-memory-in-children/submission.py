"""Four children each hold 800 MiB (under the per-process limit); together they are over the grade's."""
import os
import time

for _ in range(4):
    if os.fork() == 0:
        block = b"\1" * (800 * 2**20)
        time.sleep(60)
        os._exit(0)
time.sleep(5)
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return torch.sigmoid(self.conv(pooled))
