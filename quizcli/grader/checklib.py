"""Helpers for the exercises' checks. Child side: imported only inside the grading process (uses torch).

A check is a plain function `def name(ctx: Ctx) -> str | None`, registered in order with `@check(title,
hint=...)`. It fails by raising CheckFailed (or AssertionError) with a message for the learner; it may
return a note that is shown beside a pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch

from quizcli.grader.proxy import Ctx, Module

CheckFn = Callable[["Ctx"], "str | None"]


class CheckFailed(AssertionError):
    """The learner's module behaves differently from the contract; the message says how."""


@dataclass
class Check:
    name: str
    title: str
    hint: str
    fn: CheckFn


@dataclass
class Registry:
    checks: list[Check] = field(default_factory=list)

    def check(self, title: str, hint: str = "") -> Callable[[CheckFn], CheckFn]:
        def register(fn: CheckFn) -> CheckFn:
            self.checks.append(Check(name=fn.__name__, title=title, hint=hint, fn=fn))
            return fn
        return register


def randn(*shape: int, seed: int = 1, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype)


def fmt(shape: torch.Size | tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def n_params(module: Module) -> int:
    return module.parameter_count()


def zero_parameters(module: Module) -> None:
    module.zero_parameters()


def randomize_parameters(module: Module, seed: int = 3, scale: float = 0.5) -> None:
    """Every parameter drawn afresh, so no zero-initialised weight hides the behaviour under test."""
    generator = torch.Generator().manual_seed(seed)
    module.set_parameters({name: torch.randn(p.shape, generator=generator, dtype=p.dtype) * scale
                           for name, p in module.named_parameters().items()})


def expect_shape(out: torch.Tensor, want: tuple[int, ...], x: torch.Tensor, returns_map: bool) -> None:
    """Shape check with the usual mix-up named: x·map returned where the map is asked for, or the reverse."""
    got = tuple(out.shape)
    if got == want:
        return
    if returns_map and got == tuple(x.shape):
        raise CheckFailed(f"forward returned {fmt(got)}, the shape of x: the contract asks for the attention map "
                          f"{fmt(want)}. Return the map itself, not x * map")
    if not returns_map and len(got) == 4 and got[0] == x.shape[0] and got != tuple(x.shape):
        raise CheckFailed(f"forward returned {fmt(got)}: that looks like the attention map. The contract asks for "
                          f"x rescaled by it, {fmt(want)}: return x * map")
    raise CheckFailed(f"for x of shape {fmt(tuple(x.shape))} forward returned {fmt(got)}; expected {fmt(want)}")


def expect_close(got: torch.Tensor, want: torch.Tensor, what: str, atol: float = 1e-5) -> None:
    if got.shape != want.shape:
        raise CheckFailed(f"{what}: shape {fmt(got.shape)} where {fmt(want.shape)} was expected")
    if not torch.allclose(got, want, atol=atol, rtol=1e-4):
        worst = (got - want).abs().max().item()
        raise CheckFailed(f"{what} (largest difference {worst:.3g})")


def expect_open_unit(values: torch.Tensor, what: str) -> None:
    low, high = values.min().item(), values.max().item()
    if not (low > 0.0 and high < 1.0) or math.isnan(low) or math.isnan(high):
        raise CheckFailed(f"{what} spans [{low:.4g}, {high:.4g}]; an attention map lies strictly in (0, 1)")


def gate_of(module: Module, x: torch.Tensor, ctx: Ctx) -> torch.Tensor:
    """For a module that returns x * gate, the gate: out / x (x has no zeros)."""
    return ctx.run(module, x) / x


def expect_grads_everywhere(module: Module, x: torch.Tensor) -> None:
    module.eval()
    grads = module.ctx.grads(module, x)
    missing = [name for name, g in grads.params.items() if g is None or not torch.any(g != 0)]
    if missing:
        raise CheckFailed(f"no gradient reaches {', '.join(missing)}: a parameter is unused, or the output "
                          "is detached from it (.detach(), .data, torch.no_grad(), or an in-place overwrite)")


def expect_input_untouched(ctx: Ctx, module: Module, x: torch.Tensor) -> None:
    ctx.run(module, x)
    if ctx.input_changed:
        raise CheckFailed("forward changed its input x in place; use out-of-place ops (x * w, not x *= w)")


def expect_deterministic(ctx: Ctx, module: Module, x: torch.Tensor) -> None:
    expect_close(ctx.run(module, x), ctx.run(module, x), "two calls on the same input gave different outputs",
                 atol=0)


def expect_float64(ctx: Ctx, module: Module, x: torch.Tensor) -> None:
    module = module.double()
    out = ctx.run(module, x.double())
    if out.dtype != torch.float64:
        raise CheckFailed(f"with a float64 module and input the output is {out.dtype}; avoid hard-coded dtypes "
                          "(torch.zeros(..., dtype=torch.float32)) and .float() calls")


def expect_batch_independent(ctx: Ctx, module: Module, x: torch.Tensor) -> None:
    together = ctx.run(module, x)
    apart = torch.cat([ctx.run(module, x[i:i + 1]) for i in range(x.shape[0])])
    expect_close(together, apart, "in eval() each sample's output depends on the others in the batch; "
                 "pool over the right dimensions (not dim=0)")


@contextmanager
def seeded(seed: int = 0) -> Iterator[None]:
    state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        yield
    finally:
        torch.random.set_rng_state(state)


# --- shared by the channel gates (SE, CBAM channel attention, ECA) ---

def positive(*shape: int, seed: int = 1) -> torch.Tensor:
    """Input with no zeros, so that out / x recovers a gate."""
    return randn(*shape, seed=seed).abs() + 0.5


def pooling_probes(channels: int, size: int = 4) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Three inputs: a base; one with the same per-channel mean and a higher max; one with the same max and a
    lower mean."""
    base = positive(1, channels, 1, 1).repeat(1, 1, size, size) + 2.0
    bump = torch.zeros(1, 1, size, size)
    bump[..., 0, 0], bump[..., 0, 1] = 1.5, -1.5
    dip = torch.full((1, 1, size, size), -1.0)
    dip[..., 0, 0] = 0.0
    return base, base + bump, base + dip


def mlp_parameter_count(ctx: Ctx, label: str, make_args: tuple[int, int], n: int) -> str | None:
    """2·C·h weights for the shared MLP, h = max(1, C // r); biases (h and/or C) are a note."""
    channels, reduction = make_args
    hidden = max(1, channels // reduction)
    want = 2 * channels * hidden
    allowed = {want: None, want + hidden: "a bias on the first layer",
               want + channels: "a bias on the second layer", want + hidden + channels: "biases"}
    if n in allowed:
        extra = allowed[n]
        return f"{label}: {n} parameters = 2·C·h + {extra}; allowed" if extra else None
    if n in (2 * want, 2 * (want + hidden + channels)):
        raise CheckFailed(f"{label} has {n} parameters, twice 2·C·h = {want}: two MLPs? One MLP is shared")
    raise CheckFailed(f"{label} has {n} parameters; expected 2·C·h = {want} with h = max(1, C // reduction) "
                      f"= {hidden} (plus {hidden + channels} if both layers have biases)")


def expect_half_gate(ctx: Ctx, module: Module, x: torch.Tensor, factor: float, returns_map: bool) -> None:
    zero_parameters(module)
    out = ctx.run(module, x)
    want = torch.full_like(out, factor) if returns_map else x * factor
    if not torch.equal(out, want):
        what = f"a map of {factor}" if returns_map else f"exactly {factor}·x"
        raise CheckFailed(f"with every parameter zero the output is not {what}; the gate should be "
                          "sigmoid(...) of the zero-weight layers, applied once")


def expect_spatial_gate(ctx: Ctx, module: Module, x: torch.Tensor) -> torch.Tensor:
    """For x * gate modules: the gate lies in (0, 1) and is one number per channel. Returns it (B, C)."""
    gate = gate_of(module, x, ctx)
    expect_open_unit(gate, "out / x (the gate)")
    spread = (gate.amax(dim=(2, 3)) - gate.amin(dim=(2, 3))).max().item()
    if spread > 1e-5:
        raise CheckFailed(f"out / x varies across positions within a channel (by up to {spread:.3g}); "
                          "a channel gate multiplies each channel by one number")
    return gate[:, :, 0, 0]


def expect_spatial_equivariance(ctx: Ctx, module: Module, x: torch.Tensor, returns_map: bool) -> None:
    perm = torch.randperm(x.shape[2] * x.shape[3], generator=torch.Generator().manual_seed(5))

    def shuffle(t: torch.Tensor) -> torch.Tensor:
        return t.flatten(2)[:, :, perm].view_as(t)

    out, out_shuffled = ctx.run(module, x), ctx.run(module, shuffle(x))
    want = out if returns_map else shuffle(out)
    expect_close(out_shuffled, want, "shuffling the positions of x did not just shuffle the output; "
                 "the gate must come from global pooling, the same for every position")


def expect_average_only(ctx: Ctx, module: Module, channels: int) -> None:
    base, higher_max, lower_mean = pooling_probes(channels)
    g_base = gate_of(module, base, ctx)[:, :, 0, 0]
    if not torch.allclose(gate_of(module, higher_max, ctx)[:, :, 0, 0], g_base, atol=1e-5):
        raise CheckFailed("the gate changed when only the channel max changed: squeeze with global average "
                          "pooling only (max squeeze did worse in the SE paper)")
    if torch.allclose(gate_of(module, lower_mean, ctx)[:, :, 0, 0], g_base, atol=1e-6):
        raise CheckFailed("the gate did not change when the channel means changed: squeeze with the mean")


def register_standard_checks(registry: Registry, build: Callable[[Ctx], Module], shape: tuple[int, ...],
                             inplace_hint: str = "no in-place ops on x (x.mul_, x *= ...)",
                             batch_hint: str = "pool over the right dimensions, never dim 0") -> None:
    """The five checks every module must pass, in this order: gradients, purity, determinism, float64 and
    batch independence. `build` makes the module under test; `shape` is the input's."""
    check = registry.check

    @check("gradients reach every parameter", hint="no .detach() or torch.no_grad() inside forward")
    def gradients(ctx: Ctx) -> None:
        expect_grads_everywhere(build(ctx), randn(*shape))

    @check("does not modify its input", hint=inplace_hint)
    def input_untouched(ctx: Ctx) -> None:
        expect_input_untouched(ctx, build(ctx), randn(*shape))

    @check("is deterministic", hint="no randomness (dropout, torch.rand) in forward")
    def deterministic(ctx: Ctx) -> None:
        expect_deterministic(ctx, build(ctx), randn(*shape))

    @check("works in float64", hint="no hard-coded dtype or .float() in forward")
    def float64(ctx: Ctx) -> None:
        expect_float64(ctx, build(ctx), randn(*shape))

    @check("each sample is independent of the rest of the batch", hint=batch_hint)
    def batch_independent(ctx: Ctx) -> None:
        expect_batch_independent(ctx, build(ctx), randn(3, *shape[1:]))
