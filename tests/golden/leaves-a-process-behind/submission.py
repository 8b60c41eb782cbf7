import subprocess
_child = subprocess.Popen(['sh', '-c', 'sleep 300', 'aqsurvivor'])
print('started a child that sleeps for five minutes')
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        # Input 2 channels (Max + Avg), Output 1 channel
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        # x: (B, C, H, W)
        avg_out = torch.mean(x, dim=1, keepdim=True)  # (B, 1, H, W)
        max_out, _ = torch.max(x, dim=1, keepdim=True)  # (B, 1, H, W)
        x = torch.cat([avg_out, max_out], dim=1)  # (B, 2, H, W)
        x = self.conv(x)  # (B, 1, H, W)
        return self.sigmoid(x)
