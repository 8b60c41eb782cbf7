"""A wrong module (returns x * map) that patches everything of the grader it can reach in its process."""
import gc
import sys

import torch

torch.equal = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
for name, module in list(sys.modules.items()):
    if name.startswith("quizcli"):
        for attr in ("CheckFailed", "expect_close", "expect_shape", "valid", "emit"):
            if hasattr(module, attr):
                setattr(module, attr, lambda *a, **k: None)
for obj in gc.get_objects():
    if hasattr(type(obj), "emit") or type(obj).__name__ in ("Registry", "Check", "Events"):
        try:
            obj.emit(event="done")
        except Exception:
            pass
        for attr in ("checks", "fn"):
            if hasattr(obj, attr):
                try:
                    setattr(obj, attr, [] if attr == "checks" else (lambda ctx: None))
                except Exception:
                    pass
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return x * torch.sigmoid(self.conv(pooled))
