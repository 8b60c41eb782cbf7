"""NonLocalBlock(channels, inter_channels=None) -> z = W(y) + x: checks of its own behaviour."""

import torch

from quizcli.grader.checklib import (
    CheckFailed,
    check,
    drawn,
    expect_close,
    randn,
    shuffle_positions,
)

POOLS = ("MaxPool2d", "AvgPool2d", "MaxPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d")


@check("is the identity at initialisation",
       hint="zero the BatchNorm after W (weight and bias), or W itself, so z = 0 + x at first")
def identity_at_init(ctx):
    x = randn(2, 16, 5, 6)
    expect_close(ctx.run(ctx.make(16), x), x, "a freshly built block changes x; z = W(y) + x should equal x "
                 "at initialisation", atol=1e-6)


@check("every position sees every other position",
       hint="attention over all N = H·W positions: softmax over the last axis of theta @ phi")
def global_context(ctx):
    module, x = drawn(ctx.make(8)), randn(1, 8, 6, 7)
    poked = x.clone()
    poked[:, :, 0, 0] += 3.0
    change = (ctx.run(module, poked) - ctx.run(module, x)).abs()[0, :, 5, 6].max().item()
    if change < 1e-6:
        raise CheckFailed("changing x at the top-left corner did not change z at the bottom-right corner: "
                          "the block is local, not non-local")


@check("shuffling positions shuffles z the same way",
       hint="no positional terms and no pooling: attention treats positions as a set")
def position_equivariance(ctx):
    made = ctx.make(8)
    module, x = drawn(made), randn(2, 8, 4, 6)
    got, want = ctx.run(module, shuffle_positions(x, 2)), shuffle_positions(ctx.run(module, x), 2)
    if got.shape == want.shape and torch.allclose(got, want, atol=1e-4, rtol=1e-4):
        return None
    pools = [s for s in made.submodules() if s.type in POOLS]
    at = f" ({pools[0].type} built at {pools[0].where})" if pools and pools[0].where else ""
    raise CheckFailed("shuffling the positions of x did not just shuffle z" + (
        f": phi and g are pooled{at}, so the keys are sub-sampled (the paper's speed-up); the exercise asks for "
        "every position as a key" if pools else "; pooling phi and g (sub-sampled keys) or positional terms "
        "do this"), hint="no max-pooling of phi and g: every position is a key" if pools else None)


@check("the attention is normalised (a tiled input gives the tiled output)",
       hint="softmax over j: the weights for each position sum to 1")
def normalised(ctx):
    module, x = drawn(ctx.make(8)), randn(1, 8, 3, 4)
    tiled = torch.cat([x, x], dim=3)
    out = ctx.run(module, x)
    expect_close(ctx.run(module, tiled), torch.cat([out, out], dim=3),
                 "with x repeated side by side, z is not the repeated z: the attention weights are not "
                 "normalised over positions", atol=1e-4)


@check("the attention is a softmax over positions (embedded Gaussian), not theta·phi / N",
       hint="attention = torch.softmax(theta @ phi, dim=-1)")
def embedded_gaussian(ctx):
    module, x = drawn(ctx.make(8)), randn(1, 8, 4, 5, seed=3)
    small = (ctx.run(module, x) - x).abs().max().item()
    large = (ctx.run(module, 20 * x) - 20 * x).abs().max().item()
    if large > 500 * max(small, 1e-6):
        raise CheckFailed(f"scaling x by 20 scaled W(y) by {large / max(small, 1e-6):.0f}: the attention grows "
                          "with theta·phi, as in the dot-product variant (divide by N). The embedded Gaussian "
                          "normalises with a softmax, so y stays a weighted average of g")
