"""Checks for NonLocalBlock(channels, inter_channels=None) -> z = W(y) + x."""

import torch

from quizcli.grader.checklib import (
    CheckFailed,
    Ctx,
    Registry,
    expect_close,
    expect_shape,
    randn,
    randomize_parameters,
    register_standard_checks,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "NonLocalBlock(channels, inter_channels=None)"
CONSTRUCT = [{"channels": 16}, {"channels": 16, "inter_channels": 4}]
registry = Registry()
check = registry.check


def trained(ctx, channels=8, **kwargs):
    """A block with every parameter drawn afresh, as if trained: the attention path is switched on."""
    module = ctx.make(channels, **kwargs)
    randomize_parameters(module)
    return module


@check("builds with and without inter_channels, and for one channel",
       hint="inter = inter_channels or max(1, channels // 2)")
def builds(ctx):
    ctx.make(16)
    ctx.make(16, inter_channels=4)
    ctx.make(1)


@check("returns z, the same shape as x", hint="y back to (B, inter, H, W), then W(y) + x")
def output_shape(ctx):
    for c, shape in ((16, (2, 16, 5, 7)), (16, (1, 16, 4, 4)), (1, (3, 1, 3, 5)), (16, (2, 16, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(c), x), shape, x, returns_map=False)


@check("is the identity at initialisation",
       hint="zero the BatchNorm after W (weight and bias), or W itself, so z = 0 + x at first")
def identity_at_init(ctx):
    x = randn(2, 16, 5, 6)
    expect_close(ctx.run(ctx.make(16), x), x, "a freshly built block changes x; z = W(y) + x should equal x "
                 "at initialisation", atol=1e-6)


@check("every position sees every other position",
       hint="attention over all N = H·W positions: softmax over the last axis of theta @ phi")
def global_context(ctx):
    module, x = trained(ctx), randn(1, 8, 6, 7)
    poked = x.clone()
    poked[:, :, 0, 0] += 3.0
    change = (ctx.run(module, poked) - ctx.run(module, x)).abs()[0, :, 5, 6].max().item()
    if change < 1e-6:
        raise CheckFailed("changing x at the top-left corner did not change z at the bottom-right corner: "
                          "the block is local, not non-local")


@check("shuffling positions shuffles z the same way",
       hint="no positional terms and no pooling: attention treats positions as a set")
def position_equivariance(ctx):
    module, x = trained(ctx), randn(2, 8, 4, 5)
    perm = torch.randperm(20, generator=torch.Generator().manual_seed(2))

    def shuffle(t):
        return t.flatten(2)[:, :, perm].view_as(t)

    expect_close(ctx.run(module, shuffle(x)), shuffle(ctx.run(module, x)),
                 "shuffling the positions of x did not just shuffle z", atol=1e-4)


@check("the attention is normalised (a tiled input gives the tiled output)",
       hint="softmax over j (or divide by N): the weights for each position sum to 1")
def normalised(ctx):
    module, x = trained(ctx), randn(1, 8, 3, 4)
    tiled = torch.cat([x, x], dim=3)
    out = ctx.run(module, x)
    expect_close(ctx.run(module, tiled), torch.cat([out, out], dim=3),
                 "with x repeated side by side, z is not the repeated z: the attention weights are not "
                 "normalised over positions", atol=1e-4)


register_standard_checks(registry, trained, (2, 8, 4, 4), inplace_hint="return W(y) + x, not x += W(y)",
                         batch_hint="batch matrix products (B, N, N), never mixing samples; BatchNorm in eval uses "
                                    "running stats")
