"""Checks for SEBlock(channels, reduction=16) -> x rescaled per channel."""

from quizcli.grader.checklib import (
    Ctx,
    Registry,
    expect_average_only,
    expect_half_gate,
    expect_shape,
    expect_spatial_equivariance,
    expect_spatial_gate,
    mlp_parameter_count,
    n_params,
    positive,
    randn,
    register_standard_checks,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "SEBlock(channels, reduction=16)"
CONSTRUCT = [{"channels": 32}, {"channels": 32, "reduction": 8}]
registry = Registry()
check = registry.check


@check("builds for several channel counts, including C < reduction",
       hint="hidden = max(1, channels // reduction), so 8 channels with reduction 16 still has 1 hidden unit")
def builds(ctx):
    ctx.make(32)
    ctx.make(32, reduction=8)
    ctx.make(8)


@check("returns x rescaled, the same shape as x", hint="return x * s.view(B, C, 1, 1), not s itself")
def output_shape(ctx):
    for c, shape in ((32, (2, 32, 5, 7)), (32, (1, 32, 4, 4)), (8, (3, 8, 9, 11)), (32, (2, 32, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(c), x), shape, x, returns_map=False)


@check("scales each channel by one gate in (0, 1)",
       hint="the gate is sigmoid(MLP(mean over H, W)), broadcast over H and W")
def channel_gate(ctx):
    expect_spatial_gate(ctx, ctx.make(16, reduction=4), positive(2, 16, 5, 6) * 3)


@check("has 2·C·h parameters", hint="two layers, C -> h -> C, h = max(1, channels // reduction)")
def parameter_count(ctx):
    notes = [mlp_parameter_count(ctx, f"SEBlock({c}, reduction={r})", (c, r), n_params(ctx.make(c, r)))
             for c, r in ((32, 16), (8, 16), (64, 8))]
    return next((n for n in notes if n), None)


@check("all parameters zero gives exactly 0.5·x", hint="x * sigmoid(0): nothing added to x, no residual")
def zeroed_half(ctx):
    expect_half_gate(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.5, returns_map=False)


@check("shuffling positions shuffles the output the same way",
       hint="squeeze with global pooling over H and W; no convolution over space")
def spatial_equivariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(16), randn(2, 16, 5, 6), returns_map=False)


@check("the gate depends on each channel's average only",
       hint="squeeze = x.mean(dim=(2, 3)); SE uses average pooling, not max")
def average_only(ctx):
    expect_average_only(ctx, ctx.make(16, reduction=4), 16)


register_standard_checks(registry, lambda ctx: ctx.make(16, reduction=4), (2, 16, 5, 5),
                         inplace_hint="return x * s, not x.mul_(s) or x *= s",
                         batch_hint="pool over dims (2, 3), never dim 0")
