"""ChannelAttention(channels, reduction=16) -> map (B, C, 1, 1): checks of its own behaviour."""

from quizcli.grader.checklib import (
    CheckFailed,
    check,
    drawn,
    expect_half,
    expect_open_unit,
    expect_spatial_equivariance,
    mlp_reference,
    pooling_probes,
    randn,
    responds,
)


@check("every value of the map lies in (0, 1)", hint="end with a sigmoid over the summed branches")
def map_range(ctx):
    module = ctx.make(32)
    for seed in (1, 2):
        expect_open_unit(ctx.run(drawn(module, seed, scale=0.5), randn(2, 32, 6, 6, seed=seed)), "the map")


@check("all parameters zero gives a map of exactly 0.5",
       hint="sigmoid(mlp(avg) + mlp(max)): with zero weights both are 0, and sigmoid(0) = 0.5")
def zeroed_half(ctx):
    expect_half(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.5, returns_map=True)


@check("the map ignores where things are (shuffling positions changes nothing)",
       hint="pool globally over H and W; no convolution over space")
def spatial_invariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(16), randn(2, 16, 5, 6), returns_map=True)


@check("responds to both the average and the max of each channel",
       hint="two branches: mlp(avg_pool(x)) + mlp(max_pool(x)); CBAM showed both beat either alone")
def uses_avg_and_max(ctx):
    module = ctx.make(16, reduction=4)
    base, higher_max, lower_mean = pooling_probes(16)
    if not responds(ctx, module, base, higher_max)[0]:
        raise CheckFailed("the map did not change when a channel's max rose and its mean stayed: "
                          "the max-pooling branch is missing")
    if not responds(ctx, module, base, lower_mean)[0]:
        raise CheckFailed("the map did not change when a channel's mean fell and its max stayed: "
                          "the average-pooling branch is missing")


@check("computes sigmoid(mlp(avg) + mlp(max)) with one shared MLP",
       hint="run the same MLP on each pooled descriptor, then add, then one sigmoid", catch_all=True)
def matches_reference(ctx):
    mlp_reference(ctx, ctx.make(16, reduction=4), 16, 4, branches=("avg", "max"), returns_map=True)
