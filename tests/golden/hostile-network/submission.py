"""A correct module that tries to reach 127.0.0.1 (TCP and UDP) on the port the test listens on."""
import socket

for family, kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM)):
    try:
        s = socket.socket(family, kind)
        s.settimeout(1)
        s.connect(("127.0.0.1", 47391))
        s.send(b"leaked")
        print("CONNECTED", kind)
    except OSError as exc:
        print("no network:", exc)
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return torch.sigmoid(self.conv(pooled))
