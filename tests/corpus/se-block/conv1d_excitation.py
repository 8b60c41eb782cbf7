"""Excitation with kernel-1 Conv1d layers on the squeezed (B, C, 1) descriptor, gate declared before the MLP."""

import torch
from torch import nn


class SEBlock(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        self.gate = nn.Sigmoid()
        self.expand = nn.Conv1d(max(1, channels // reduction), channels, 1)
        self.squeeze = nn.Conv1d(channels, max(1, channels // reduction), 1)

    def forward(self, x):
        s = x.flatten(2).mean(-1, keepdim=True)  # (B, C, 1)
        s = self.gate(self.expand(torch.relu(self.squeeze(s))))
        return x * s.unsqueeze(-1)
