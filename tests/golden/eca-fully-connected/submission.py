import math

import torch
from torch import nn


class ECA(nn.Module):
    def __init__(self, channels, gamma=2, b=1):
        super().__init__()
        t = int(abs((math.log2(channels) + b) / gamma))
        k = t if t % 2 else t + 1
        self.fc = nn.Linear(channels, channels, bias=False)

    def forward(self, x):
        b, c = x.shape[:2]
        y = x.mean(dim=(2, 3)).view(b, 1, c)  # (B, 1, C): channels become the sequence
        y = torch.sigmoid(self.fc(y)).view(b, c, 1, 1)
        return x * y
