"""The sandboxed worker: holds the learner's modules and answers the checker's narrow requests.

It runs the learner's code and is therefore untrusted once the file is loaded: nothing it sends is
believed, only validated (see proxy.py). It compiles the source it is sent (never a .pyc, never a
file of its own choosing), builds modules, calls forward and backward, and reports parameters, all as
plain data. A request is one frame; its answer is one frame with `ok` or `error`.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import inspect
import io
import os
import sys
import traceback
import types
import weakref
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import torch
from torch import nn

from quizcli.grader import protocol

OUTPUT_LIMIT = 4000  # characters of the learner's prints kept per request
MESSAGE_LIMIT = 2000
EXIT_CHANNEL_LOST = 96  # our own exit codes, so the checker can tell them from the learner's
ATTRS = ("kernel_size", "stride", "padding", "dilation", "groups", "in_channels", "out_channels", "in_features",
         "out_features", "num_features", "padding_mode", "eps", "affine", "track_running_stats", "dim",
         "num_heads", "embed_dim", "output_size", "inplace", "p")


class BoundedWriter(io.TextIOBase):
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = self.dropped = 0

    def write(self, text: Any) -> int:
        text = text if isinstance(text, str) else str(text)
        room = OUTPUT_LIMIT - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def value(self) -> str:
        text = "".join(self.parts)
        return text + (f"\n[... {self.dropped} more characters cut]" if self.dropped else "")


def safe_text(fn: Callable[[], object], fallback: str) -> str:
    try:
        text = str(fn())
    except BaseException:  # an exception whose __str__ raises, or anything else odd
        return fallback
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + f" [... {len(text) - MESSAGE_LIMIT} more]"


def safe_str(obj: object, fallback: str, repr_of_code: bool = False) -> str:
    """str(obj) (or repr of a SystemExit's code), never raising, bounded."""
    return safe_text(lambda: repr(getattr(obj, "code", None)) if repr_of_code else obj, fallback)


def type_name(obj: object) -> str:
    return safe_text(lambda: type(obj).__name__, "an exception")


_current: Server | None = None


class Server:
    def __init__(self, sock: Any, filename: str = "submission.py") -> None:
        self.sock, self.filename = sock, filename
        self.display = os.path.basename(filename)
        self.cls: Any = None
        self.handles: dict[int, nn.Module] = {}
        self.created: weakref.WeakKeyDictionary[nn.Module, int] = weakref.WeakKeyDictionary()
        self.lines: list[str] = []

    # --- where things happened in the learner's file ---------------------------------------------------
    def learner_line(self, lineno: int) -> str:
        text = self.lines[lineno - 1].strip() if 0 < lineno <= len(self.lines) else ""
        return f"{self.display}:{lineno}" + (f": {text}" if text else "")

    def where(self, exc: BaseException) -> str:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == self.filename]
        kind = f"{type_name(exc)}: " + safe_str(exc, "(its message cannot be printed)")
        first = kind.strip().rstrip(":").splitlines()[0] if kind.strip() else type_name(exc)
        if not frames:
            return first
        frame = frames[-1]
        lineno = frame.lineno or 0
        known = 0 < lineno <= len(self.lines)
        code = f"\n    {self.lines[lineno - 1].strip()}" if known else ""
        return f"{self.display}:{frame.lineno} in {frame.name}: {first}{code}"

    def _record_creation(self) -> None:
        global _current
        _current = self
        if getattr(nn.Module.__init__, "_attnquiz", False):
            return
        original = nn.Module.__init__

        def init(module: nn.Module, *args: Any, **kwargs: Any) -> None:
            original(module, *args, **kwargs)
            server = _current
            if server is None:
                return
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != server.filename:
                frame = frame.f_back  # type: ignore[assignment]
            if frame is not None:
                with contextlib.suppress(TypeError):
                    server.created[module] = frame.f_lineno

        init._attnquiz = True  # type: ignore[attr-defined]
        nn.Module.__init__ = init  # type: ignore[method-assign,assignment]

    # --- requests -------------------------------------------------------------------------------------
    def load(self, source: torch.Tensor, class_name: str, filename: str) -> dict[str, Any]:
        self.filename, self.display = filename, os.path.basename(filename)
        raw = ctypes.string_at(source.data_ptr(), source.numel()) if source.numel() else b""
        self.lines = raw.decode("utf-8", errors="replace").splitlines()
        self._record_creation()
        module = types.ModuleType("submission")
        module.__file__ = self.filename
        sys.modules["submission"] = module
        try:
            code = compile(raw, self.filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = exc.lineno or 0
            return {"verdict": "syntax-error", "message": f"{self.display}:{line}: syntax error: {exc.msg}"}
        except (ValueError, UnicodeDecodeError) as exc:
            return {"verdict": "syntax-error", "message": f"{self.display}: cannot be read as Python: {exc}"}
        exec(code, module.__dict__)
        cls = module.__dict__.get(class_name)
        found = sorted(n for n, v in module.__dict__.items() if isinstance(v, type) and not n.startswith("_")
                       and getattr(v, "__module__", None) == "submission")
        if not isinstance(cls, type):
            return {"verdict": "class-missing", "found": found}
        self.cls = cls
        return {"module": bool(issubclass(cls, nn.Module)), "found": found}

    def fits(self, positional: int, keywords: list[str]) -> dict[str, Any]:
        try:
            signature = inspect.signature(self.cls)
        except BaseException:
            return {"fits": None}
        try:
            signature.bind(*([None] * positional), **{k: None for k in keywords})
        except TypeError as exc:
            return {"fits": False, "why": safe_str(exc, "does not fit"),
                    "signature": safe_text(lambda: signature, "")}
        return {"fits": True}

    def build(self, args: list[Any], kwargs: dict[str, Any], seed: int) -> dict[str, Any]:
        torch.manual_seed(seed)
        module = self.cls(*args, **kwargs)
        if not isinstance(module, nn.Module):
            return {"not_module": type_name(module)}
        module.eval()
        handle = len(self.handles) + 1
        self.handles[handle] = module
        return {"handle": handle}

    def forward(self, handle: int, x: torch.Tensor) -> dict[str, Any]:
        module = self.handles[handle]
        code = getattr(type(module).forward, "__code__", None)
        returned: list[int] = []
        first: list[Any] = []

        def profile(frame: Any, event: str, arg: Any) -> None:
            if frame.f_code is code:
                if event == "call" and not first:
                    first.append(frame)
                elif event == "return" and first and frame is first[0]:
                    returned.append(frame.f_lineno)

        before = x.clone()
        sys.setprofile(profile)
        try:
            with torch.no_grad():
                out = module(x)
        finally:
            sys.setprofile(None)
        changed = not torch.equal(before, x)
        line = self.learner_line(returned[0]) if returned and code and code.co_filename == self.filename else None
        if not isinstance(out, torch.Tensor):
            return {"not_tensor": type_name(out), "return_line": line, "input_changed": changed}
        return {"out": out, "return_line": line, "input_changed": changed}

    def grads(self, handle: int, x: torch.Tensor, grad_out: torch.Tensor | None) -> dict[str, Any]:
        module = self.handles[handle]
        for p in module.parameters():
            p.grad = None
        x = x.clone().requires_grad_(True)
        out = module(x)
        if not isinstance(out, torch.Tensor):
            return {"not_tensor": type_name(out)}
        if not out.requires_grad:
            return {"out": out.detach(), "input": None, "params": {n: None for n, _ in module.named_parameters()}}
        weight = out.detach() if grad_out is None or grad_out.shape != out.shape else grad_out.to(out.dtype)
        torch.autograd.backward(out, weight)
        return {"out": out.detach(), "input": x.grad,
                "params": {n: (p.grad.detach() if p.grad is not None else None) for n, p in module.named_parameters()}}

    def tensors(self, handle: int, kind: str) -> dict[str, Any]:
        module = self.handles[handle]
        items = module.named_parameters() if kind == "parameters" else module.named_buffers()
        return {"items": [{"name": name, "tensor": t.detach()} for name, t in items]}

    def set_parameters(self, handle: int, values: dict[str, torch.Tensor]) -> dict[str, Any]:
        params = dict(self.handles[handle].named_parameters())
        with torch.no_grad():
            for name, value in values.items():
                params[name].copy_(value)
        return {}

    def zero(self, handle: int) -> dict[str, Any]:
        with torch.no_grad():
            for p in self.handles[handle].parameters():
                p.zero_()
        return {}

    def mode(self, handle: int, train: bool) -> dict[str, Any]:
        self.handles[handle].train(train)
        return {}

    def double(self, handle: int) -> dict[str, Any]:
        self.handles[handle].double()
        return {}

    def copy(self, handle: int) -> dict[str, Any]:
        clone = copy.deepcopy(self.handles[handle])
        new = len(self.handles) + 1
        self.handles[new] = clone
        return {"handle": new}

    def submodules(self, handle: int) -> dict[str, Any]:
        found = []
        for name, sub in self.handles[handle].named_modules():
            attrs: dict[str, Any] = {}
            for attr in ATTRS:
                value = getattr(sub, attr, None)
                if isinstance(value, (int, float, str, bool)) or (
                        isinstance(value, tuple) and all(isinstance(v, (int, float)) for v in value)):
                    attrs[attr] = list(value) if isinstance(value, tuple) else value
            bias = getattr(sub, "bias", None)
            attrs["has_bias"] = isinstance(bias, torch.Tensor)
            line = self.created.get(sub)
            found.append({"name": name, "type": type_name(sub),
                          "where": self.learner_line(line) if line else None, "attrs": attrs,
                          "params": [n for n, _ in sub.named_parameters(recurse=False)]})
        return {"modules": found}

    # --- the loop -------------------------------------------------------------------------------------
    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.pop("op", None)
        method = getattr(self, str(op), None) if op in OPS else None
        if method is None:
            return {"error": {"kind": "internal", "message": f"unknown request {op!r}"}}
        out = BoundedWriter()
        try:
            with redirect_stdout(out), redirect_stderr(out):
                answer = method(**request)
            return {"ok": answer, "output": out.value()}
        except SystemExit as exc:
            code = safe_str(exc, "?", repr_of_code=True)
            return {"error": {"kind": "sys-exit", "message": f"sys.exit({code})", "where": self.where(exc)},
                    "output": out.value()}
        except BaseException as exc:
            kind = "raised"
            if isinstance(exc, MemoryError) or (isinstance(exc, RuntimeError)
                                                and "can't allocate memory" in safe_str(exc, "")):
                kind = "out-of-memory"
            elif isinstance(exc, OSError) and exc.errno == 27:  # EFBIG
                kind = "file-too-large"
            return {"error": {"kind": kind, "message": self.where(exc)}, "output": out.value()}


OPS = ("load", "fits", "build", "forward", "grads", "tensors", "set_parameters", "zero", "mode", "double", "copy",
       "submodules")


def serve(sock: Any) -> None:
    server = Server(sock)
    real_exit, me = os._exit, os.getpid()

    def learner_exit(code: int = 0) -> None:
        if os.getpid() != me:  # a process the learner forked: it just leaves
            real_exit(code if isinstance(code, int) else 1)
        frame = sys._getframe(1)
        where = server.learner_line(frame.f_lineno) if frame.f_code.co_filename == server.filename else None
        try:
            protocol.send(sock, {"exited": {"code": code if isinstance(code, int) else -1, "where": where}})
        finally:
            real_exit(code if isinstance(code, int) else 1)

    os._exit = learner_exit  # type: ignore[assignment]
    sys.dont_write_bytecode = True
    while True:
        try:
            request = protocol.recv(sock)
        except (protocol.ProtocolError, OSError):
            real_exit(EXIT_CHANNEL_LOST)
        try:
            answer = server.handle(request)
            protocol.send(sock, answer)
        except BaseException:
            real_exit(EXIT_CHANNEL_LOST)
