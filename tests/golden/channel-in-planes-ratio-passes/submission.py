import torch.nn.functional as F
from torch import nn


class ChannelAttention(nn.Module):
    """The popular re-implementation's names: in_planes, ratio (wrapped: reduction is the contract's keyword)."""

    def __init__(self, in_planes, reduction=16):
        super().__init__()
        ratio = reduction
        self.fc1 = nn.Conv2d(in_planes, max(1, in_planes // ratio), 1, bias=False)
        self.relu1 = nn.ReLU()
        self.fc2 = nn.Conv2d(max(1, in_planes // ratio), in_planes, 1, bias=False)

    def forward(self, x):
        avg_out = self.fc2(self.relu1(self.fc1(F.adaptive_avg_pool2d(x, 1))))
        max_out = self.fc2(self.relu1(self.fc1(F.adaptive_max_pool2d(x, 1))))
        return (avg_out + max_out).sigmoid()
