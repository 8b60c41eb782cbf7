"""Helpers for the exercises' checks; runs in the trusted checker (uses torch, never the learner's file).

A check is a plain function `def name(ctx) -> str | None`, registered in order with `@check(title, hint=...)`
in an exercise's checks.py. It talks to the learner's module only through `ctx` and module proxies. It fails
by raising CheckFailed with a message (and, where the cause is known, a hint that fits it); it may return a
note shown beside a pass. Probes never trust the module's initial weights: they set the weights they need
on a copy (`drawn`, `zeroed`), so a verdict does not depend on the init or on the order of the layers.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch

from quizcli.grader.proxy import Ctx, LearnerError, Module

CheckFn = Callable[[Any], "str | None"]


class CheckFailed(AssertionError):
    """The learner's module behaves differently from the contract; the message says how.

    `hint` replaces the check's usual hint when the cause is known; `folds` marks a cause that explains
    later failures (they are then reported as "same cause as above")."""

    def __init__(self, message: str, hint: str | None = None, folds: bool = False) -> None:
        super().__init__(message)
        self.hint = hint
        self.folds = folds


class StopGrade(Exception):
    """Nothing more can be checked (the constructor fails): one verdict for the whole grade."""

    def __init__(self, verdict: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.verdict, self.message, self.hint = verdict, message, hint


@dataclass
class Check:
    name: str
    title: str
    hint: str
    fn: CheckFn
    catch_all: bool = False  # compares with a whole reference: an earlier, more specific failure explains it
    independent: bool = False  # never looks at forward's output (a parameter count): no mix-up of it explains it


@dataclass
class Registry:
    checks: list[Check] = field(default_factory=list)

    def check(self, title: str, hint: str = "", catch_all: bool = False,
              independent: bool = False) -> Callable[[CheckFn], CheckFn]:
        def register(fn: CheckFn) -> CheckFn:
            self.checks.append(Check(name=fn.__name__, title=title, hint=hint, fn=fn, catch_all=catch_all,
                                     independent=independent))
            return fn
        return register


_current: Registry | None = None


def check(title: str, hint: str = "", catch_all: bool = False) -> Callable[[CheckFn], CheckFn]:
    """Register an exercise-specific check (in checks.py, loaded by quizcli.grader.contract). A `catch_all`
    check compares with a whole reference; when an earlier check failed, its failure is folded into that."""
    if _current is None:
        raise RuntimeError("checks.py is loaded through quizcli.grader.contract.load_suite")
    return _current.check(title, hint, catch_all)


# --- inputs and comparisons ---

def randn(*shape: int, seed: int = 1, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype)


def positive(*shape: int, seed: int = 1) -> torch.Tensor:
    """Input with no zeros, so that out / x recovers a gate."""
    return randn(*shape, seed=seed).abs() + 0.5


def fmt(shape: Iterable[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def close(got: torch.Tensor, want: torch.Tensor, atol: float = 1e-5, rtol: float = 1e-4) -> bool:
    return got.shape == want.shape and bool(torch.allclose(got.to(want.dtype), want, atol=atol, rtol=rtol))


def expect_close(got: torch.Tensor, want: torch.Tensor, what: str, atol: float = 1e-5, hint: str | None = None) -> None:
    if got.shape != want.shape:
        raise CheckFailed(f"{what}: shape {fmt(got.shape)} where {fmt(want.shape)} was expected", hint=hint)
    if not close(got, want, atol=atol):
        worst = (got.to(want.dtype) - want).abs().max().item()
        raise CheckFailed(f"{what} (largest difference {worst:.3g})", hint=hint)


def expect_open_unit(values: torch.Tensor, what: str, hint: str | None = None) -> None:
    low, high = values.min().item(), values.max().item()
    if math.isnan(low) or math.isnan(high) or not (low > 0.0 and high < 1.0):
        raise CheckFailed(f"{what} spans [{low:.4g}, {high:.4g}]; an attention map lies strictly in (0, 1)",
                          hint=hint)


def expect_shape(out: torch.Tensor, want: tuple[int, ...], x: torch.Tensor, returns: str,
                 where: str | None = None) -> None:
    """Shape check with the usual mix-up named (x·map returned where the map is asked for, or the reverse);
    the mix-up explains later failures, so it folds them."""
    got = tuple(out.shape)
    if got == want:
        return
    at = f" ({where})" if where else ""
    if returns == "map" and got == tuple(x.shape):
        raise CheckFailed(f"forward returned {fmt(got)}, the shape of x{at}: the contract asks for the attention "
                          f"map {fmt(want)}. Return the map itself, not x * map",
                          hint="the caller multiplies: return sigmoid(...), not x * sigmoid(...)", folds=True)
    if returns == "features" and len(got) == 4 and got[0] == x.shape[0] and got != tuple(x.shape):
        raise CheckFailed(f"forward returned {fmt(got)}{at}: that looks like the attention map. The contract asks "
                          f"for x rescaled by it, {fmt(want)}: return x * map",
                          hint="multiply: return x * map (the map broadcasts over x)", folds=True)
    raise CheckFailed(f"for x of shape {fmt(tuple(x.shape))} forward returned {fmt(got)}{at}; expected {fmt(want)}")


# --- weights the probes set ---

def _values(shape: tuple[int, ...], seed: int, occurrence: int) -> torch.Tensor:
    """Deterministic values for a parameter, from its size (so Linear (h, C) and 1x1 Conv (h, C, 1, 1) get the
    same numbers) and the draw: not from its name or its place in the module."""
    numel = math.prod(shape)
    key = hashlib.sha256(f"{seed}:{numel}:{occurrence}".encode()).digest()
    generator = torch.Generator().manual_seed(int.from_bytes(key[:6], "little"))
    if len(shape) >= 2 and shape[0] > 0:
        fan_in = max(1, numel // shape[0])
        return (torch.randn(numel, generator=generator) / math.sqrt(fan_in)).view(shape)
    return (torch.rand(numel, generator=generator) * 0.5 + 0.1).view(shape)  # biases, norms: positive


def drawn(module: Module, seed: int = 1, scale: float = 1.0) -> Module:
    """A copy of the module with every parameter drawn afresh (weights ~ N(0, 1/fan_in), 1-D ones in
    [0.1, 0.6]), BatchNorm made the identity: as if trained, whatever the module's own init."""
    copy = module.copy()
    seen: dict[int, int] = {}
    values = {}
    for name, p in copy.named_parameters().items():
        numel = p.numel()
        seen[numel] = seen.get(numel, -1) + 1
        values[name] = (_values(tuple(p.shape), seed, seen[numel]) * scale).to(p.dtype)
    copy.set_parameters(values)
    neutral_norms(copy)
    return copy


def zeroed(module: Module) -> Module:
    copy = module.copy()
    copy.zero_parameters()
    return copy


NORMS = ("BatchNorm1d", "BatchNorm2d", "SyncBatchNorm", "GroupNorm", "LayerNorm", "InstanceNorm2d")


def norm_layers(module: Module) -> list[Any]:
    return [s for s in module.submodules() if s.type in NORMS]


def neutral_norms(module: Module) -> None:
    """Set every BatchNorm (eval) to the identity: weight sqrt(running_var + eps), bias running_mean."""
    buffers = module.named_buffers()
    params = module.named_parameters()
    values = {}
    for sub in norm_layers(module):
        if not sub.type.startswith(("BatchNorm", "SyncBatchNorm")):
            continue
        prefix = f"{sub.name}." if sub.name else ""
        var, mean = buffers.get(prefix + "running_var"), buffers.get(prefix + "running_mean")
        if var is None or mean is None or prefix + "weight" not in params or prefix + "bias" not in params:
            continue
        eps = float(sub.attrs.get("eps", 1e-5))
        values[prefix + "weight"] = torch.sqrt(var + eps).to(params[prefix + "weight"].dtype)
        values[prefix + "bias"] = mean.to(params[prefix + "bias"].dtype)
    if values:
        module.set_parameters(values)


def by_shape(module: Module, *shapes: tuple[int, ...]) -> dict[str, torch.Tensor]:
    """Parameters whose shape is one of `shapes`, by name."""
    return {n: p for n, p in module.named_parameters().items() if tuple(p.shape) in shapes}


def weight_2d(t: torch.Tensor) -> torch.Tensor:
    """A Linear (out, in) or 1x1 conv (out, in, 1) / (out, in, 1, 1) weight as (out, in)."""
    return t.reshape(t.shape[0], -1)


def gate_of(ctx: Ctx, module: Module, x: torch.Tensor) -> torch.Tensor:
    """For a module that returns x * gate, the gate: out / x (x has no zeros)."""
    return ctx.run(module, x) / x


def param_where(module: Module, names: Iterable[str]) -> str:
    lines = sorted({w for w in (module.where(n) for n in names) if w})
    return f" (built at {', '.join(lines)})" if lines else ""


def padding_lines(module: Module) -> str:
    """Where the learner built a convolution whose padding does not keep the size (not k // 2), or that
    pads by wrapping around: ' (Conv2d at my.py:9 has kernel_size 7 and padding 1)'."""
    found = []
    for sub in module.submodules():
        if not sub.type.startswith("Conv") or "kernel_size" not in sub.attrs:
            continue
        kernel, padding = sub.attrs.get("kernel_size"), sub.attrs.get("padding")
        kernels = list(kernel) if isinstance(kernel, (list, tuple)) else [kernel]
        pads = list(padding) if isinstance(padding, (list, tuple)) else [padding] * len(kernels)
        wrong = padding != "same" and any(isinstance(k, int) and isinstance(p, int) and p != k // 2
                                          for k, p in zip(kernels, pads, strict=False))
        mode = sub.attrs.get("padding_mode", "zeros")
        if wrong or mode != "zeros":
            at = f" at {sub.where}" if sub.where else ""
            detail = f"padding_mode {mode!r}" if mode != "zeros" else f"kernel_size {kernel} and padding {padding}"
            found.append(f"{sub.type}{at} has {detail}")
    return f" ({'; '.join(found)})" if found else ""


# --- parameter counts ---

def count_explained(n: int, want: int, extras: dict[str, int]) -> list[str] | None:
    """The allowed extras (by name) that make `want` into `n`, or None."""
    items = [(name, size) for name, size in extras.items()]
    for r in range(len(items) + 1):
        for combo in itertools.combinations(items, r):
            if want + sum(size for _, size in combo) == n:
                return [name for name, _ in combo]
    return None


# --- gates and maps (SE, channel attention, ECA, CBAM) ---

def pooling_probes(channels: int, size: int = 4) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A base; one with the same per-channel mean and a higher max; one with the same max and a lower mean."""
    base = positive(1, channels, 1, 1).repeat(1, 1, size, size) + 2.0
    bump = torch.zeros(1, 1, size, size)
    bump[..., 0, 0], bump[..., 0, 1] = 1.5, -1.5
    dip = torch.full((1, 1, size, size), -1.0)
    dip[..., 0, 0] = 0.0
    return base, base + bump, base + dip


def responds(ctx: Ctx, module: Module, a: torch.Tensor, b: torch.Tensor, draws: int = 4,
             tol: float = 1e-4, gate: bool = False) -> tuple[bool, bool]:
    """(changed in some draw, changed in every draw) of the output between inputs a and b, over weight draws;
    a change is more than `tol` times the output's scale (float rounding is far below it)."""
    changes = []
    for seed in range(1, draws + 1):
        m = drawn(module, seed)
        out_a, out_b = ctx.run(m, a), ctx.run(m, b)
        if gate:  # x * gate modules: compare the gates, out / x
            out_a, out_b = out_a / a, out_b / b
        scale = max(1.0, out_a.abs().max().item())
        changes.append((out_a - out_b).abs().max().item() > tol * scale)
    return any(changes), all(changes)


def expect_half(ctx: Ctx, module: Module, x: torch.Tensor, factor: float, returns_map: bool) -> None:
    """Every parameter zero: the map is exactly `factor` (or the output exactly factor·x)."""
    out = ctx.run(zeroed(module), x)
    want = torch.full_like(out, factor) if returns_map else x * factor
    if out.shape == want.shape and torch.equal(out, want):
        return
    if not returns_map and out.shape == x.shape:
        ratio = (out / x)
        if torch.allclose(ratio, torch.full_like(ratio, factor + 1.0), atol=1e-6):
            raise CheckFailed(f"with every parameter zero the output is {factor + 1:g}·x, not {factor:g}·x: x is "
                              "added back (a residual). The contract returns the refined features only",
                              hint="return the rescaled features; the residual belongs to the block that uses this",
                              folds=True)
    what = f"a map of {factor}" if returns_map else f"exactly {factor}·x"
    if out.shape == want.shape and returns_map:
        raise CheckFailed(f"with every parameter zero the map spans [{out.min().item():.4g}, "
                          f"{out.max().item():.4g}]; sigmoid(0) = 0.5 everywhere was expected: the map should "
                          "be sigmoid(...) of the zero-weight layers, with nothing after it")
    if out.shape == want.shape:
        ratio = out / x
        raise CheckFailed(f"with every parameter zero out / x spans [{ratio.min().item():.4g}, "
                          f"{ratio.max().item():.4g}], not exactly {factor:g}: each gate should be sigmoid(0) = 0.5 "
                          "of the zero-weight layers, applied once")
    raise CheckFailed(f"with every parameter zero the output is not {what}")


def expect_channel_gate(ctx: Ctx, module: Module, x: torch.Tensor) -> None:
    """For x * gate modules: the gate lies in (0, 1) and is one number per channel (on drawn weights)."""
    for seed in (1, 2):
        gate = gate_of(ctx, drawn(module, seed, scale=0.5), x)
        expect_open_unit(gate, "out / x (the gate)", hint="gate = sigmoid(...); return x * gate")
        spread = (gate.amax(dim=(2, 3)) - gate.amin(dim=(2, 3))).max().item()
        if spread > 1e-5:
            raise CheckFailed(f"out / x varies across positions within a channel (by up to {spread:.3g}); "
                              "a channel gate multiplies each channel by one number",
                              hint="pool over H and W to one number per channel before the gate")


def shuffle_positions(t: torch.Tensor, seed: int = 5) -> torch.Tensor:
    perm = torch.randperm(t.shape[2] * t.shape[3], generator=torch.Generator().manual_seed(seed))
    return t.flatten(2)[:, :, perm].reshape(t.shape)


def expect_spatial_equivariance(ctx: Ctx, module: Module, x: torch.Tensor, returns_map: bool,
                                what: str = "the gate must come from global pooling, the same for every position",
                                atol: float = 1e-5) -> None:
    for seed in (1, 2):
        m = drawn(module, seed)
        out, out_shuffled = ctx.run(m, x), ctx.run(m, shuffle_positions(x))
        want = out if returns_map else shuffle_positions(out)
        expect_close(out_shuffled, want, f"shuffling the positions of x did not just shuffle the output; {what}",
                     atol=atol)


def expect_average_only(ctx: Ctx, module: Module, channels: int) -> None:
    base, higher_max, lower_mean = pooling_probes(channels)
    some, _ = responds(ctx, module, base, higher_max, gate=True)
    if some:
        raise CheckFailed("the gate changed when only a channel's max changed: squeeze with global average "
                          "pooling only (max squeeze did worse in the SE paper)",
                          hint="squeeze = x.mean(dim=(2, 3)); no max pooling")
    some, _ = responds(ctx, module, base, lower_mean, gate=True)
    if not some:
        raise CheckFailed("the gate did not change when the channel means changed: squeeze with the mean",
                          hint="squeeze = x.mean(dim=(2, 3))")


# --- the learner's errors ---

_WHERE = re.compile(r"^(?P<where>\S+?\.py:\d+) in [^:]+: (?P<type>[A-Za-z_][\w.]*)")
_TYPE = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(:|$)")


def error_where(error: LearnerError) -> str | None:
    """'my.py:14' when the learner's own line raised, else None (the error came from a call into torch or
    from Python binding the arguments)."""
    match = _WHERE.match(str(error))
    return match.group("where") if match else None


def error_type(error: LearnerError) -> str:
    """The exception's class name, e.g. 'ValueError'."""
    match = _WHERE.match(str(error)) or _TYPE.match(str(error))
    return match.group("type").rpartition(".")[2] if match else ""


# --- hints that follow the failure ---

def hint_for_error(error: LearnerError) -> str:
    text = str(error)
    if "NameError" in text:
        name = text.split("name '")[1].split("'")[0] if "name '" in text else ""
        modules = {"torch": "import torch", "nn": "from torch import nn", "F": "import torch.nn.functional as F",
                   "math": "import math", "np": "import numpy as np"}
        if name in modules:
            return f"add `{modules[name]}` at the top of your file"
        if name.isidentifier() and len(name) <= 60:  # the learner's text: echoed only when it is a plain name
            return f"`{name}` is not defined where it is used: a typo, or a missing import or self."
        return ""
    if "ImportError" in text or "ModuleNotFoundError" in text:
        return "only torch and the standard library are available to your code"
    if "NotImplementedError" in text:
        return "replace the starter's `raise NotImplementedError` with your implementation"
    if "leaf Variable" in text or "in-place" in text or "inplace" in text:
        return "use out-of-place ops on x (x * w, not x *= w; nn.ReLU(inplace=True) only on new tensors)"
    shapes = ("size mismatch", "shape", "expected input", "must match the size", "cannot be multiplied")
    if any(word in text for word in shapes):
        return "print the shapes at each step of forward; check which dims you pool and reshape"
    if "AttributeError" in text:
        return "an attribute set in __init__ (self.something) is missing or misspelt"
    return ""


def input_error(error: LearnerError) -> CheckFailed | None:
    """An in-place write into the input (x.mul_, x *= ..., ReLU(inplace=True) on x) found by autograd."""
    text = str(error)
    if "leaf Variable" in text or "modified by an inplace operation" in text:
        where = f" at {error_where(error)}" if error_where(error) else ""
        return CheckFailed(f"forward writes into its input x in place{where}; the caller's tensor must not change",
                           hint="use out-of-place ops on x (x * w, not x *= w or x.mul_(w))")
    return None


# --- reference computations on the weights a probe set ---

def bias_for(params: dict[str, torch.Tensor], weight_name: str, size: int) -> torch.Tensor:
    stem = weight_name[:-len("weight")] if weight_name.endswith("weight") else None
    if stem is not None and stem + "bias" in params and params[stem + "bias"].numel() == size:
        return params[stem + "bias"].reshape(size)
    loose = [p for n, p in params.items() if p.dim() == 1 and p.numel() == size]
    return loose[0] if len(loose) == 1 else torch.zeros(size)


def mlp_weights(module: Module, channels: int, hidden: int) -> tuple[torch.Tensor, ...]:
    """(w1 (h, C), b1, w2 (C, h), b2) of a C -> h -> C MLP made of Linear or 1x1 conv layers."""
    params = module.named_parameters()
    first = [n for n, p in params.items() if tuple(p.shape) in ((hidden, channels), (hidden, channels, 1),
                                                                   (hidden, channels, 1, 1))]
    second = [n for n, p in params.items() if tuple(p.shape) in ((channels, hidden), (channels, hidden, 1),
                                                                    (channels, hidden, 1, 1))]
    if len(first) != 1 or len(second) != 1:
        raise CheckFailed(f"expected one C -> h weight and one h -> C weight (C = {channels}, h = {hidden}); found "
                          f"{len(first)} and {len(second)}: one MLP of two layers, shared by the branches")
    return (weight_2d(params[first[0]]), bias_for(params, first[0], hidden), weight_2d(params[second[0]]),
            bias_for(params, second[0], channels))


def mlp_reference(ctx: Ctx, module: Module, channels: int, reduction: int, branches: tuple[str, ...],
                  returns_map: bool) -> None:
    """The module, with weights drawn, equals sigmoid(sum of mlp(pool(x)) over the branches), or x times it."""
    hidden = max(1, channels // reduction)
    m = drawn(module, 2)
    w1, b1, w2, b2 = mlp_weights(m, channels, hidden)
    x = randn(2, channels, 5, 6, seed=4) + 3 * randn(2, channels, 1, 1, seed=5)  # means of either sign:
    out = ctx.run(m, x)  # the ReLU between the layers then matters
    pools = {"avg": x.mean(dim=(2, 3)), "max": x.amax(dim=(2, 3))}

    def mlp(v: torch.Tensor) -> torch.Tensor:
        return torch.relu(v @ w1.T + b1) @ w2.T + b2

    def compare(logits: torch.Tensor) -> bool:
        gate = torch.sigmoid(logits).view(2, channels, 1, 1)
        return close(out, gate if returns_map else x * gate, atol=1e-5)

    if compare(sum(mlp(pools[b]) for b in branches)):  # type: ignore[arg-type]
        return
    if len(branches) == 2 and compare(mlp(pools["avg"] + pools["max"])):
        raise CheckFailed("the pooled descriptors are added before the MLP; CBAM runs the MLP on each and adds "
                          "the results", hint="sigmoid(mlp(avg) + mlp(max)), not sigmoid(mlp(avg + max))")
    if len(branches) == 1 and compare(mlp(pools["max"])):
        raise CheckFailed("the gate follows each channel's max: the squeeze is global average pooling",
                          hint="squeeze = x.mean(dim=(2, 3))")
    what = " + ".join(f"mlp({b})" for b in branches)
    raise CheckFailed(f"with the MLP's weights set, the {'map' if returns_map else 'output'} is not "
                      f"{'' if returns_map else 'x * '}sigmoid({what}) (MLP: C -> h -> C with a ReLU between)")
