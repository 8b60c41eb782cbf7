"""What a check talks to: `ctx` and proxies of the learner's modules, which live in the worker.

A check reads as it did when the module was local (`out = ctx.run(m, x)`), but every call is a request
to the sandboxed worker, and every answer is validated here before a check sees it. The learner's code
can raise (LearnerError: their failure, reported on the check), stop the worker or answer nonsense
(WorkerStopped: the grade ends with that verdict); it cannot hand the checker anything but plain data.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from quizcli.grader import protocol

STRING_LIMIT = 20_000


class LearnerError(Exception):
    """The learner's code raised while serving a request (their failure, shown on the check)."""

    def __init__(self, message: str, kind: str = "raised") -> None:
        super().__init__(message)
        self.kind = kind


class WorkerStopped(Exception):
    """The worker can no longer be asked anything: the grade ends with `verdict`."""

    def __init__(self, verdict: str, message: str) -> None:
        super().__init__(message)
        self.verdict = verdict


# --- validating what the worker says ------------------------------------------------------------------
T = torch.Tensor


def clean(text: str) -> str:
    """A string safe to print and to write as UTF-8: no lone surrogates, bounded."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= STRING_LIMIT else text[:STRING_LIMIT] + " [...]"


def valid(value: Any, schema: Any, path: str = "answer") -> Any:
    """`value` checked against `schema` (str, int, bool, T, [item], {key: schema, 'key?': schema},
    ('dict', schema) or ('opt', schema)); raises ProtocolError naming the first thing wrong."""
    if isinstance(schema, tuple):
        tag, inner = schema
        if tag == "opt":
            return None if value is None else valid(value, inner, path)
        if not isinstance(value, dict) or len(value) > protocol.MAX_TENSORS:
            raise protocol.ProtocolError(f"{path} is not a table")
        return {clean(str(k)): valid(v, inner, f"{path}.{k}") for k, v in value.items()}
    if isinstance(schema, list):
        if not isinstance(value, list) or len(value) > protocol.MAX_TENSORS:
            raise protocol.ProtocolError(f"{path} is not a list")
        return [valid(v, schema[0], f"{path}[]") for v in value]
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise protocol.ProtocolError(f"{path} is not an object")
        keys = {k.rstrip("?") for k in schema}
        if set(value) - keys or {k for k in schema if not k.endswith("?")} - set(value):
            raise protocol.ProtocolError(f"{path} has the wrong fields")
        return {k.rstrip("?"): valid(value[k.rstrip("?")], s, f"{path}.{k.rstrip('?')}")
                for k, s in schema.items() if k.rstrip("?") in value}
    if schema is str:
        if not isinstance(value, str):
            raise protocol.ProtocolError(f"{path} is not text")
        return clean(value)
    if schema is int and (not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**62):
        raise protocol.ProtocolError(f"{path} is not an integer")
    if schema is bool and not isinstance(value, bool):
        raise protocol.ProtocolError(f"{path} is not true or false")
    if schema is T and not isinstance(value, torch.Tensor):
        raise protocol.ProtocolError(f"{path} is not a tensor")
    if schema is Any:
        return _plain(value, path)
    return value


def _plain(value: Any, path: str, depth: int = 0) -> Any:
    """Small JSON-like values (a module's attributes): numbers, text, booleans, short lists of numbers."""
    if depth > 2 or isinstance(value, (dict, torch.Tensor)):
        raise protocol.ProtocolError(f"{path} is not a plain value")
    if isinstance(value, list):
        return [_plain(v, path, depth + 1) for v in value[:16]]
    if isinstance(value, str):
        return clean(value)[:200]
    return value


NAMED = [{"name": str, "tensor": T}]
SUBMODULE = {"name": str, "type": str, "where": ("opt", str), "attrs": ("dict", Any), "params": [str]}
ANSWERS: dict[str, Any] = {
    "load": {"verdict?": str, "message?": str, "found?": [str], "module?": bool},
    "fits": {"fits": ("opt", bool), "why?": str, "signature?": str},
    "build": {"handle?": int, "not_module?": str},
    "forward": {"out?": T, "not_tensor?": str, "return_line": ("opt", str), "input_changed": bool},
    "grads": {"out?": T, "not_tensor?": str, "input?": ("opt", T), "params?": ("dict", ("opt", T))},
    "tensors": {"items": NAMED},
    "set_parameters": {}, "zero": {}, "mode": {}, "double": {},
    "copy": {"handle": int},
    "submodules": {"modules": [SUBMODULE]},
}
ERROR = {"kind": str, "message": str, "where?": str}
EXITED = {"code": int, "where": ("opt", str)}
ERROR_KINDS = ("raised", "sys-exit", "out-of-memory", "file-too-large", "internal")


# --- connections --------------------------------------------------------------------------------------
class RemoteConnection:
    """Requests over the socket to the sandboxed worker, each bounded by the grade's deadline."""

    def __init__(self, sock: socket.socket, deadline: float, alive: Callable[[], bool] | None = None) -> None:
        self.sock, self.deadline, self.alive = sock, deadline, alive

    def exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            protocol.send(self.sock, request)
        except OSError:
            raise WorkerStopped("lost", "the worker closed its channel before it was asked anything") from None
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise WorkerStopped("timeout", "")
            ready, _, _ = select.select([self.sock], [], [], min(left, 0.25))
            if ready:
                break
        self.sock.settimeout(max(0.05, self.deadline - time.monotonic()))
        try:
            return protocol.recv(self.sock)
        except TimeoutError:
            raise WorkerStopped("timeout", "") from None
        except protocol.ChannelClosed:
            raise WorkerStopped("lost", "") from None
        except protocol.ProtocolError as exc:
            raise WorkerStopped("bad-answer", str(exc)) from None
        except OSError:
            raise WorkerStopped("lost", "") from None


class LocalConnection:
    """The worker's server in this process, for tests of checks on trusted code only."""

    def __init__(self, path: Path) -> None:
        from quizcli.grader.worker import Server

        self.server = Server(None, str(path.resolve()))  # `load` names the file again

    def exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        answer = self.server.handle(protocol.decode(protocol.encode(request)[4:]))
        return protocol.decode(protocol.encode(answer)[4:])


@dataclass
class Grads:
    out: torch.Tensor
    input: torch.Tensor | None
    params: dict[str, torch.Tensor | None]


@dataclass
class Submodule:
    name: str
    type: str
    where: str | None
    attrs: dict[str, Any]
    params: list[str]


@dataclass
class Ctx:
    """What a check gets. `output` collects what the learner printed while the check ran."""

    conn: Any
    last_return: str | None = None
    input_changed: bool = False  # did the last forward modify its input in place?
    output: list[str] = field(default_factory=list)

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        reply = self.conn.exchange({"op": op, **args})
        try:
            if not isinstance(reply, dict) or len(reply.keys() - {"ok", "error", "exited", "output"}) or (
                    len(reply.keys() & {"ok", "error", "exited"}) != 1):
                raise protocol.ProtocolError("an answer that is neither a result nor an error")
            if "output" in reply:
                text = valid(reply["output"], str, "output")
                if text:
                    self.output.append(text)
            if "exited" in reply:
                exited = valid(reply["exited"], EXITED)
                where = f" at {exited['where']}" if exited["where"] else ""
                raise WorkerStopped("os-exit", f"your code called os._exit({exited['code']}){where}")
            if "error" in reply:
                error = valid(reply["error"], ERROR)
                if error["kind"] not in ERROR_KINDS:
                    raise protocol.ProtocolError("an error of an unknown kind")
                if error["kind"] == "internal":  # the worker runs the learner's code: its word is theirs
                    raise WorkerStopped("bad-answer", f"the worker said it did not understand a request: "
                                        f"{error['message']}")
                if error["kind"] == "sys-exit":
                    raise WorkerStopped("sys-exit", f"your code called {error['message']}: "
                                        f"{error.get('where', '')}".rstrip(": "))
                if error["kind"] in ("out-of-memory", "file-too-large"):
                    raise WorkerStopped(error["kind"], error["message"])
                raise LearnerError(error["message"])
            answer: dict[str, Any] = valid(reply["ok"], ANSWERS[op], op)
            return answer
        except protocol.ProtocolError as exc:
            raise WorkerStopped("bad-answer", str(exc)) from None

    def make(self, *args: Any, **kwargs: Any) -> Module:
        answer = self.call("build", args=list(args), kwargs=kwargs, seed=0)
        if "not_module" in answer:
            from quizcli.grader.checklib import CheckFailed

            raise CheckFailed(f"the constructor gave a {answer['not_module']}, not a torch.nn.Module: "
                              "subclass nn.Module and call super().__init__() first")
        return Module(self, answer["handle"])

    def run(self, module: Module, x: torch.Tensor) -> torch.Tensor:
        answer = self.call("forward", handle=module.handle, x=x)
        self.last_return, self.input_changed = answer["return_line"], answer["input_changed"]
        if "out" not in answer:
            from quizcli.grader.checklib import CheckFailed

            where = f" ({answer['return_line']})" if answer["return_line"] else ""
            raise CheckFailed(f"forward returned a {answer.get('not_tensor')}{where}, not a tensor")
        out: torch.Tensor = answer["out"]
        _expect_floating(out)
        return out

    def grads(self, module: Module, x: torch.Tensor, grad_out: torch.Tensor | None = None) -> Grads:
        answer = self.call("grads", handle=module.handle, x=x, grad_out=grad_out)
        if "out" not in answer:
            from quizcli.grader.checklib import CheckFailed

            raise CheckFailed(f"forward returned a {answer.get('not_tensor')}, not a tensor")
        _expect_floating(answer["out"])
        return Grads(answer["out"], answer.get("input"), answer.get("params") or {})


def _expect_floating(out: torch.Tensor) -> None:
    if not out.is_floating_point():
        from quizcli.grader.checklib import CheckFailed

        raise CheckFailed(f"forward returned a tensor of {str(out.dtype).replace('torch.', '')}; features and "
                          "attention maps are floating point (keep the input's dtype)")


@dataclass
class Module:
    """A proxy of one of the learner's modules in the worker."""

    ctx: Ctx
    handle: int

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.ctx.run(self, x)

    def _named(self, kind: str) -> dict[str, torch.Tensor]:
        items = self.ctx.call("tensors", handle=self.handle, kind=kind)["items"]
        return {item["name"]: item["tensor"] for item in items}

    def named_parameters(self) -> dict[str, torch.Tensor]:
        return self._named("parameters")

    def named_buffers(self) -> dict[str, torch.Tensor]:
        return self._named("buffers")

    def parameter_count(self) -> int:
        return sum(t.numel() for t in self.named_parameters().values())

    def set_parameters(self, values: dict[str, torch.Tensor]) -> None:
        current = self.named_parameters()
        for name, value in values.items():
            if name not in current or current[name].shape != value.shape:
                raise KeyError(f"no parameter {name} of shape {tuple(value.shape)}")
        self.ctx.call("set_parameters", handle=self.handle, values=values)

    def zero_parameters(self) -> None:
        self.ctx.call("zero", handle=self.handle)

    def eval(self) -> Module:
        self.ctx.call("mode", handle=self.handle, train=False)
        return self

    def train(self, mode: bool = True) -> Module:
        self.ctx.call("mode", handle=self.handle, train=mode)
        return self

    def double(self) -> Module:
        self.ctx.call("double", handle=self.handle)
        return self

    def copy(self) -> Module:
        return Module(self.ctx, self.ctx.call("copy", handle=self.handle)["handle"])

    def submodules(self) -> list[Submodule]:
        return [Submodule(**m) for m in self.ctx.call("submodules", handle=self.handle)["modules"]]

    def where(self, param_name: str) -> str | None:
        owner, _, local = param_name.rpartition(".")
        for sub in self.submodules():
            if sub.name == owner and local in sub.params:
                return sub.where
        return None
