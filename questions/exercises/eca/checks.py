"""ECA(channels, gamma=2, b=1) -> x rescaled per channel: checks of its own behaviour."""

import math

import torch
import torch.nn.functional as F

from quizcli.grader.checklib import (
    CheckFailed,
    by_shape,
    check,
    close,
    drawn,
    expect_average_only,
    expect_channel_gate,
    expect_half,
    expect_spatial_equivariance,
    gate_of,
    padding_lines,
    positive,
    randn,
)


def kernel_size(channels, gamma=2, b=1):
    t = int(abs((math.log2(channels) + b) / gamma))
    return t if t % 2 else t + 1


@check("scales each channel by one gate in (0, 1)",
       hint="gate = sigmoid(conv1d(mean over H, W)), broadcast over H and W")
def channel_gate(ctx):
    expect_channel_gate(ctx, ctx.make(64), positive(2, 64, 5, 6) * 2)


@check("all parameters zero gives exactly 0.5·x", hint="x * sigmoid(0): nothing added to x")
def zeroed_half(ctx):
    expect_half(ctx, ctx.make(64), randn(2, 64, 4, 4), 0.5, returns_map=False)


@check("a channel's gate depends only on its k neighbouring channels, at the ends too",
       hint="Conv1d over the channel axis with zero padding k // 2; no fully connected layer")
def channel_locality(ctx):
    c = 256
    k = kernel_size(c)
    made = ctx.make(c)
    module, x = drawn(made), positive(1, c, 3, 3)
    base = gate_of(ctx, module, x)
    for poked_channel in (100, 0, c - 1):
        poked = x.clone()
        poked[:, poked_channel] += 3.0
        change = (gate_of(ctx, module, poked) - base).abs()[0, :, 0, 0]
        near = torch.zeros(c, dtype=torch.bool)
        near[max(0, poked_channel - k // 2):poked_channel + k // 2 + 1] = True
        if change[~near].max().item() > 1e-6:
            far = int(torch.nonzero(change * (~near)).flatten()[0])
            wrapped = poked_channel in (0, c - 1) and far in (0, c - 1) or abs(far - poked_channel) > c - k
            raise CheckFailed(f"changing channel {poked_channel} changed the gate of channel {far}, outside the "
                              f"window of k = {k} channels around it{padding_lines(made)}"
                              + (": the convolution wraps around (circular padding); ECA pads with zeros"
                                 if wrapped else ""),
                              hint="nn.Conv1d(1, 1, k, padding=k // 2, bias=False) (padding_mode 'zeros')"
                              if wrapped else None)
        if change[poked_channel].item() == 0:
            raise CheckFailed(f"changing channel {poked_channel} did not change its own gate")


@check("shuffling positions shuffles the output the same way",
       hint="squeeze with global average pooling over H and W")
def spatial_equivariance(ctx):
    expect_spatial_equivariance(ctx, ctx.make(64), randn(2, 64, 5, 6), returns_map=False)


@check("the gate depends on each channel's average only", hint="squeeze = x.mean(dim=(2, 3))")
def average_only(ctx):
    expect_average_only(ctx, ctx.make(64), 64)


@check("computes x * sigmoid(conv1d(mean over H, W)) across channels with zero padding",
       hint="y = x.mean(dim=(2, 3)).view(B, 1, C); gate = sigmoid(conv(y)).view(B, C, 1, 1)", catch_all=True)
def matches_reference(ctx):
    c = 64
    k = kernel_size(c)
    module = drawn(ctx.make(c))
    weights = by_shape(module, (1, 1, k), (1, 1, 1, k), (1, 1, k, 1))
    if len(weights) != 1:
        raise CheckFailed(f"found {len(weights)} weights of the size of one 1-D kernel of k = {k}; expected one")
    weight = next(iter(weights.values())).reshape(1, 1, k)
    x = positive(2, c, 4, 5, seed=3)
    gate = torch.sigmoid(F.conv1d(x.mean(dim=(2, 3)).view(2, 1, c), weight, padding=k // 2)).view(2, c, 1, 1)
    out = ctx.run(module, x)
    if close(out, x * gate):
        return None
    if close(out, x * torch.sigmoid(F.conv1d(x.mean(dim=(2, 3)).view(2, 1, c), weight.flip(-1),
                                             padding=k // 2)).view(2, c, 1, 1)):
        return None  # the kernel read in the other direction: the same layer, trained
    raise CheckFailed("with the kernel set, the output is not x * sigmoid(conv1d(mean over H, W)) across "
                      "channels with zero padding k // 2")
