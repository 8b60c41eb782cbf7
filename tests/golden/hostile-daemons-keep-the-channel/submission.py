"""A correct module whose import leaves daemons behind: setsid, setpgid, a double fork into a renamed
`sh`, and a non-daemon thread. They hold every inherited file descriptor and sleep for an hour."""
import ctypes
import os
import subprocess
import threading
import time


def rename(name):
    try:
        ctypes.CDLL(None).prctl(15, name, 0, 0, 0)  # PR_SET_NAME
    except Exception:
        pass


for escape in ("setsid", "setpgid"):
    if os.fork() == 0:
        getattr(os, escape)() if escape == "setsid" else os.setpgid(0, 0)
        if os.fork() == 0:
            rename(b"aqsurvivor")
            time.sleep(3600)
        os._exit(0)
subprocess.Popen(["sh", "-c", "sleep 3600", "aqsurvivor"], start_new_session=True, close_fds=False)
threading.Thread(target=time.sleep, args=(3600,)).start()
import torch
from torch import nn


class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
        return torch.sigmoid(self.conv(pooled))
