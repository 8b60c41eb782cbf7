import torch
from torch import nn

class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7)
        super().__init__()
