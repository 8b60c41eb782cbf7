"""SEBlock(channels, reduction=16) -> x rescaled per channel: checks of its own behaviour."""

from quizcli.grader.checklib import (
    check,
    expect_average_only,
    expect_channel_gate,
    expect_half,
    expect_spatial_equivariance,
    mlp_reference,
    positive,
    randn,
)


@check("scales each channel by one gate in (0, 1)",
       hint="gate = sigmoid(fc2(relu(fc1(mean over H, W)))), broadcast over H and W")
def channel_gate(ctx):
    expect_channel_gate(ctx, ctx.make(16, reduction=4), positive(2, 16, 5, 6) * 2)


@check("all parameters zero gives exactly 0.5·x", hint="x * sigmoid(0): nothing added to x, no residual")
def zeroed_half(ctx):
    expect_half(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.5, returns_map=False)


@check("shuffling positions shuffles the output the same way",
       hint="squeeze with global pooling over H and W; no convolution over space")
def spatial_equivariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(16), randn(2, 16, 5, 6), returns_map=False)


@check("the gate depends on each channel's average only",
       hint="squeeze = x.mean(dim=(2, 3)); SE uses average pooling, not max")
def average_only(ctx):
    expect_average_only(ctx, ctx.make(16, reduction=4), 16)


@check("computes x * sigmoid(mlp(mean over H, W))", hint="fc1 -> ReLU -> fc2 -> sigmoid, then x * gate",
       catch_all=True)
def matches_reference(ctx):
    mlp_reference(ctx, ctx.make(16, reduction=4), 16, 4, branches=("avg",), returns_map=False)
