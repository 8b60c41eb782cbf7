"""Checks for ChannelAttention(channels, reduction=16) -> map (B, C, 1, 1)."""

import torch

from quizcli.grader.checklib import (
    CheckFailed,
    Ctx,
    Registry,
    expect_half_gate,
    expect_open_unit,
    expect_shape,
    expect_spatial_equivariance,
    mlp_parameter_count,
    n_params,
    pooling_probes,
    randn,
    register_standard_checks,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "ChannelAttention(channels, reduction=16)"
CONSTRUCT = [{"channels": 32}, {"channels": 32, "reduction": 8}]
registry = Registry()
check = registry.check


@check("builds for several channel counts, including C < reduction",
       hint="hidden = max(1, channels // reduction), so 8 channels with reduction 16 still has 1 hidden unit")
def builds(ctx):
    ctx.make(32)
    ctx.make(32, reduction=8)
    ctx.make(8)


@check("returns the map, shaped (B, C, 1, 1)", hint="pool over dims (2, 3) with keepdim=True")
def output_shape(ctx):
    for c, shape in ((32, (2, 32, 5, 7)), (32, (1, 32, 4, 4)), (8, (3, 8, 9, 11)), (32, (2, 32, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(c), x), (shape[0], c, 1, 1), x, returns_map=True)


@check("every value of the map lies in (0, 1)", hint="end with a sigmoid over the summed branches")
def map_range(ctx):
    expect_open_unit(ctx.run(ctx.make(32), randn(2, 32, 6, 6) * 3), "the map")


@check("has 2·C·h parameters: one MLP shared by both branches",
       hint="build the MLP once in __init__ and call it on both pooled descriptors")
def parameter_count(ctx):
    notes = [mlp_parameter_count(ctx, f"ChannelAttention({c}, reduction={r})", (c, r), n_params(ctx.make(c, r)))
             for c, r in ((32, 16), (8, 16), (64, 8))]
    return next((n for n in notes if n), None)


@check("all parameters zero gives a map of exactly 0.5",
       hint="sigmoid(mlp(avg) + mlp(max)): with zero weights both are 0, and sigmoid(0) = 0.5")
def zeroed_half(ctx):
    expect_half_gate(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.5, returns_map=True)


@check("the map ignores where things are (shuffling positions changes nothing)",
       hint="pool globally over H and W; no convolution over space")
def spatial_invariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(16), randn(2, 16, 5, 6), returns_map=True)


@check("responds to both the average and the max of each channel",
       hint="two branches: mlp(avg_pool(x)) + mlp(max_pool(x)); CBAM showed both beat either alone")
def uses_avg_and_max(ctx):
    module = ctx.make(16, reduction=4)
    base, higher_max, lower_mean = pooling_probes(16)
    reference = ctx.run(module, base)
    if torch.allclose(ctx.run(module, higher_max), reference, atol=1e-6):
        raise CheckFailed("the map did not change when a channel's max rose and its mean stayed: "
                          "the max-pooling branch is missing")
    if torch.allclose(ctx.run(module, lower_mean), reference, atol=1e-6):
        raise CheckFailed("the map did not change when a channel's mean fell and its max stayed: "
                          "the average-pooling branch is missing")


register_standard_checks(registry, lambda ctx: ctx.make(16, reduction=4), (2, 16, 5, 5),
                         inplace_hint="no in-place ops on x; nn.ReLU(inplace=True) on x itself changes it",
                         batch_hint="pool over dims (2, 3), never dim 0")
