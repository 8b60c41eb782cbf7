"""Checks for ECA(channels, gamma=2, b=1) -> x rescaled per channel."""

import math

import torch

from quizcli.grader.checklib import (
    CheckFailed,
    Ctx,
    Registry,
    expect_average_only,
    expect_half_gate,
    expect_shape,
    expect_spatial_equivariance,
    expect_spatial_gate,
    gate_of,
    n_params,
    positive,
    randn,
    register_standard_checks,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "ECA(channels, gamma=2, b=1)"
CONSTRUCT = [{"channels": 64}, {"channels": 64, "gamma": 2, "b": 1}]
registry = Registry()
check = registry.check


def kernel_size(channels, gamma=2, b=1):
    t = int(abs((math.log2(channels) + b) / gamma))
    return t if t % 2 else t + 1


@check("builds for several channel counts", hint="__init__(self, channels, gamma=2, b=1)")
def builds(ctx):
    for c in (8, 64, 256):
        ctx.make(c)
    ctx.make(64, gamma=3, b=2)


@check("returns x rescaled, the same shape as x", hint="return x * gate, with the gate shaped (B, C, 1, 1)")
def output_shape(ctx):
    for c, shape in ((64, (2, 64, 5, 7)), (64, (1, 64, 4, 4)), (16, (3, 16, 9, 11)), (64, (2, 64, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(c), x), shape, x, returns_map=False)


@check("scales each channel by one gate in (0, 1)",
       hint="gate = sigmoid(conv1d(mean over H, W)), broadcast over H and W")
def channel_gate(ctx):
    expect_spatial_gate(ctx, ctx.make(64), positive(2, 64, 5, 6) * 3)


@check("kernel size follows the adaptive formula (k parameters, no bias)",
       hint="t = int(abs((log2(C) + b) / gamma)); k = t if t is odd else t + 1; Conv1d(1, 1, k, bias=False)")
def adaptive_kernel(ctx):
    for c, gamma, b in ((64, 2, 1), (256, 2, 1), (2048, 2, 1), (16, 2, 1), (512, 3, 2)):
        k, n = kernel_size(c, gamma, b), n_params(ctx.make(c, gamma=gamma, b=b))
        if n == k + 1:
            raise CheckFailed(f"ECA({c}, gamma={gamma}, b={b}) has {n} parameters: k = {k} plus a bias; "
                              "ECA's 1-D convolution has no bias")
        if n != k:
            raise CheckFailed(f"ECA({c}, gamma={gamma}, b={b}) has {n} parameters; expected k = {k}: one 1-D "
                              "convolution of size k across channels, no reduction, no bias")


@check("all parameters zero gives exactly 0.5·x", hint="x * sigmoid(0): nothing added to x")
def zeroed_half(ctx):
    expect_half_gate(ctx, ctx.make(64), randn(2, 64, 4, 4), 0.5, returns_map=False)


@check("a channel's gate depends only on its k neighbouring channels",
       hint="Conv1d over the channel axis with padding k // 2; no fully connected layer")
def channel_locality(ctx):
    c, poked_channel = 256, 100
    k = kernel_size(c)
    module, x = ctx.make(c), positive(1, c, 3, 3)
    poked = x.clone()
    poked[:, poked_channel] += 3.0
    change = (gate_of(module, poked, ctx) - gate_of(module, x, ctx)).abs()[0, :, 0, 0]
    near = torch.zeros(c, dtype=torch.bool)
    near[poked_channel - k // 2:poked_channel + k // 2 + 1] = True
    if change[~near].max().item() > 1e-6:
        far = int(torch.nonzero(change * (~near)).flatten()[0])
        raise CheckFailed(f"changing channel {poked_channel} changed the gate of channel {far}, outside the "
                          f"window of k = {k} channels around it")
    if change[poked_channel].item() == 0:
        raise CheckFailed(f"changing channel {poked_channel} did not change its own gate")


@check("shuffling positions shuffles the output the same way",
       hint="squeeze with global average pooling over H and W")
def spatial_equivariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(64), randn(2, 64, 5, 6), returns_map=False)


@check("the gate depends on each channel's average only", hint="squeeze = x.mean(dim=(2, 3))")
def average_only(ctx):
    expect_average_only(ctx, ctx.make(64), 64)


register_standard_checks(registry, lambda ctx: ctx.make(64), (2, 64, 4, 4),
                         inplace_hint="return x * gate, not x.mul_(gate)",
                         batch_hint="pool over dims (2, 3), never dim 0")
