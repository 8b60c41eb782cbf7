import math

import torch
from torch import nn


class ECA(nn.Module):
    def __init__(self, channels, gamma=2, b=1):
        super().__init__()
        t = int(abs((math.log2(channels) + b) / gamma))
        k = t if t % 2 else t + 1
        self.conv = nn.Conv1d(1, 1, k, padding=k // 2, padding_mode="circular", bias=False)

    def forward(self, x):
        y = x.mean(dim=(2, 3)).unsqueeze(1)
        return x * torch.sigmoid(self.conv(y)).transpose(1, 2).unsqueeze(-1)
