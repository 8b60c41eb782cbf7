"""In-process stand-in for the checker's view of the learner's module (the API checks are written against).

Checks talk to the learner's module only through `Ctx` and `ModuleProxy`: build, forward, gradients,
parameters by name, copies, and where a submodule was created. This implementation holds the module in
the same process (for trusted code and until the sandboxed worker serves the same requests).
"""

from __future__ import annotations

import copy
import errno
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import torch
from torch import nn


class LearnerError(Exception):
    """The learner's code raised: the message reads 'my.py:14 in forward: RuntimeError: ...'."""

    def __init__(self, message: str, kind: str = "", where: str | None = None, phase: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # the exception's class name, e.g. 'ValueError'
        self.where = where  # 'my.py:14' or None when no frame of the learner's file was involved
        self.phase = phase  # 'init', 'forward' or 'backward'


@dataclass(frozen=True)
class Submodule:
    name: str
    type: str
    where: str | None
    params: list[str]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Grads:
    out: torch.Tensor
    input: torch.Tensor | None
    params: dict[str, torch.Tensor | None]


_ATTRS = ("kernel_size", "padding", "stride", "dilation", "groups", "in_channels", "out_channels", "in_features",
          "out_features", "num_features", "padding_mode", "eps", "dim", "inplace")


def _plain(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return value
    return None


class ModuleProxy:
    def __init__(self, ctx: Ctx, module: nn.Module) -> None:
        self._ctx, self._module = ctx, module

    def named_parameters(self) -> dict[str, torch.Tensor]:
        return {name: p.detach().clone() for name, p in self._module.named_parameters()}

    def named_buffers(self) -> dict[str, torch.Tensor]:
        return {name: b.detach().clone() for name, b in self._module.named_buffers()}

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self._module.parameters())

    def set_parameters(self, values: dict[str, torch.Tensor]) -> None:
        params = dict(self._module.named_parameters())
        with torch.no_grad():
            for name, value in values.items():
                if name not in params or params[name].shape != value.shape:
                    raise ValueError(f"no parameter {name} of shape {tuple(value.shape)}")
                params[name].copy_(value)

    def zero_parameters(self) -> None:
        with torch.no_grad():
            for p in self._module.parameters():
                p.zero_()

    def eval(self) -> None:
        self._ctx._call(self._module.eval, "eval")

    def train(self) -> None:
        self._ctx._call(self._module.train, "train")

    def double(self) -> None:
        self._ctx._call(self._module.double, "double")

    def copy(self) -> ModuleProxy:
        return ModuleProxy(self._ctx, copy.deepcopy(self._module))

    def submodules(self) -> list[Submodule]:
        found = []
        for name, sub in self._module.named_modules():
            attrs = {a: _plain(getattr(sub, a)) for a in _ATTRS if hasattr(sub, a)}
            if isinstance(sub, (nn.Conv1d, nn.Conv2d, nn.Linear)):
                attrs["bias"] = sub.bias is not None
            found.append(Submodule(name=name, type=type(sub).__name__, where=getattr(sub, "_attnquiz_where", None),
                                   params=[n for n, _ in sub.named_parameters(recurse=False)],
                                   attrs={k: v for k, v in attrs.items() if v is not None}))
        return found

    def where(self, param_name: str) -> str | None:
        owner = param_name.rpartition(".")[0]
        for sub in self.submodules():
            if sub.name == owner:
                return sub.where
        return None


class Ctx:
    """What a check gets: a seeded way to build the learner's class and to call the modules it built."""

    def __init__(self, cls: type[Any], path: Path | None = None) -> None:
        self.cls, self.path = cls, path
        self.last_return: str | None = None
        self.input_changed = False  # after run(): forward wrote into its input
        self.output = ""

    def _learner_frame(self, tb_frames: list[FrameType]) -> FrameType | None:
        mine = [f for f in tb_frames if self.path is not None and Path(f.f_code.co_filename) == self.path]
        return mine[-1] if mine else None

    def _error(self, exc: BaseException, phase: str) -> LearnerError:
        frames = []
        tb = exc.__traceback__
        while tb is not None:
            frames.append((tb.tb_frame, tb.tb_lineno))
            tb = tb.tb_next
        mine = [(f, n) for f, n in frames if self.path is not None and Path(f.f_code.co_filename) == self.path]
        text = f"{type(exc).__name__}: {exc}".strip().rstrip(":").splitlines()[0]
        if not mine:
            return LearnerError(text, kind=type(exc).__name__, phase=phase)
        frame, line = mine[-1]
        where = f"{Path(frame.f_code.co_filename).name}:{line}"
        return LearnerError(f"{where} in {frame.f_code.co_name}: {text}", kind=type(exc).__name__, where=where,
                            phase=phase)

    def _call(self, fn: Any, phase: str, *args: Any) -> Any:
        try:
            return fn(*args)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:
            if "can't allocate memory" in str(exc) or (isinstance(exc, OSError) and exc.errno == errno.EFBIG):
                raise  # the grade's limits, not a learner's error in one check
            raise self._error(exc, phase) from None

    def make(self, *args: Any, **kwargs: Any) -> ModuleProxy:
        torch.manual_seed(0)
        original = nn.Module.__init__
        path = self.path

        def recording_init(module: nn.Module, *a: Any, **k: Any) -> None:
            original(module, *a, **k)
            frame = sys._getframe(1)
            while frame is not None and (path is None or Path(frame.f_code.co_filename) != path):
                frame = frame.f_back  # type: ignore[assignment]
            if frame is not None:
                object.__setattr__(module, "_attnquiz_where", f"{path.name if path else '?'}:{frame.f_lineno}")

        nn.Module.__init__ = recording_init  # type: ignore[method-assign,assignment]
        try:
            module = self._call(lambda: self.cls(*args, **kwargs), "init")
        finally:
            nn.Module.__init__ = original  # type: ignore[method-assign]
        if not isinstance(module, nn.Module):
            raise LearnerError(f"{self.cls.__name__}(...) is not a torch.nn.Module; subclass nn.Module",
                               kind="TypeError", phase="init")
        module.eval()
        return ModuleProxy(self, module)

    def _forward(self, proxy: ModuleProxy, x: torch.Tensor) -> torch.Tensor:
        returns: list[str] = []
        path = self.path

        def profile(frame: FrameType, event: str, arg: Any) -> None:
            if event == "return" and path is not None and frame.f_code.co_name == "forward" \
                    and Path(frame.f_code.co_filename) == path:
                returns.append(f"{path.name}:{frame.f_lineno}")

        sys.setprofile(profile)
        try:
            out = self._call(proxy._module, "forward", x)
        finally:
            sys.setprofile(None)
        self.last_return = returns[-1] if returns else None
        if self.last_return and self.path is not None:
            line = int(self.last_return.rpartition(":")[2])
            try:
                text = self.path.read_text(encoding="utf-8").splitlines()[line - 1].strip()
                self.last_return += f": {text}"
            except (OSError, IndexError):
                pass
        if not isinstance(out, torch.Tensor):
            raise LearnerError(f"forward returned {type(out).__name__}, not a tensor", kind="TypeError",
                               phase="forward")
        return out

    def run(self, module: ModuleProxy, x: torch.Tensor) -> torch.Tensor:
        sent = x.clone()
        with torch.no_grad():
            out = self._forward(module, sent).detach().clone()
        self.input_changed = not torch.equal(sent, x)
        return out

    def grads(self, module: ModuleProxy, x: torch.Tensor, grad_out: torch.Tensor | None = None) -> Grads:
        inner = module._module
        inner.zero_grad(set_to_none=True)
        x = x.clone().requires_grad_(True)
        with torch.enable_grad():
            out = self._forward(module, x)
            weight = out.detach() if grad_out is None else grad_out
            if out.requires_grad:
                self._call(lambda: torch.autograd.backward((out * weight).sum()), "backward")
        params = {name: None if p.grad is None else p.grad.detach().clone() for name, p in inner.named_parameters()}
        return Grads(out=out.detach().clone(), input=None if x.grad is None else x.grad.clone(), params=params)
