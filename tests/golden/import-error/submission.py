import torch
import torchvisionn

class SpatialAttention(torch.nn.Module):
    pass
