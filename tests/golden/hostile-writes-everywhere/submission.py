"""A correct module that tries to write outside its folder: HOME, ATTNQUIZ_HOME, the package, /tmp."""
import os
import sys

targets = {os.path.expanduser("~/.bashrc"), "/tmp/attnquiz-escaped.txt", "/dev/shm/attnquiz-escaped.txt",
           "/var/tmp/attnquiz-escaped.txt"}
for pid in os.listdir("/proc"):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                key, _, value = item.decode(errors="replace").partition("=")
                if key == "HOME":
                    targets.add(os.path.join(value, ".bashrc"))
                if key == "ATTNQUIZ_HOME":
                    targets.add(os.path.join(value, "progress.sqlite3"))
    except OSError:
        pass
for name, module in list(sys.modules.items()):
    if name.startswith("quizcli") and getattr(module, "__file__", None):
        targets.add(module.__file__)
        root = os.path.dirname(os.path.dirname(module.__file__))
        targets.add(os.path.join(root, "questions", "exercises", "spatial-attention", "checks.py"))
        targets.add(os.path.join(root, "quizcli", "questions", "exercises", "spatial-attention", "checks.py"))
for target in targets:
    try:
        with open(target, "ab") as f:
            f.write(b"\n# written by the graded file\n")
    except OSError:
        pass
try:
    with open("/tmp/attnquiz-big.bin", "wb") as f:
        for _ in range(180):
            f.write(b"\0" * 2**20)
except OSError:
    pass
with open("inside.txt", "w") as f:  # its own folder is fine
    f.write("ok")
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return torch.sigmoid(self.conv(pooled))
