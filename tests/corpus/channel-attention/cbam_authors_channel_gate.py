"""The CBAM authors' ChannelGate (Flatten + Linear with biases, avg_pool2d / max_pool2d over the whole map),
wrapped to return the map (B, C, 1, 1)."""

import torch
import torch.nn.functional as F
from torch import nn


class Flatten(nn.Module):
    def forward(self, x):
        return x.view(x.size(0), -1)


class ChannelAttention(nn.Module):
    def __init__(self, gate_channels, reduction=16, pool_types=("avg", "max")):
        super().__init__()
        self.mlp = nn.Sequential(Flatten(), nn.Linear(gate_channels, max(1, gate_channels // reduction)), nn.ReLU(),
                                 nn.Linear(max(1, gate_channels // reduction), gate_channels))
        self.pool_types = pool_types

    def forward(self, x):
        channel_att_sum = None
        for pool_type in self.pool_types:
            if pool_type == "avg":
                pool = F.avg_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
            else:
                pool = F.max_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
            channel_att_raw = self.mlp(pool)
            channel_att_sum = channel_att_raw if channel_att_sum is None else channel_att_sum + channel_att_raw
        return torch.sigmoid(channel_att_sum).unsqueeze(2).unsqueeze(3)
