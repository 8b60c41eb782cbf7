"""NonLocalBlock(channels, inter_channels=None) -> z = W(y) + x: checks of its own behaviour."""

import math

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
    size = {t: (ctx.run(module, t * x) - t * x).abs().max().item() for t in (20.0, 40.0)}
    if not all(math.isfinite(v) for v in size.values()):
        raise CheckFailed("scaling x by 20 gave inf or nan: the attention weights overflow; a softmax subtracts "
                          "the max and stays finite")
    growth = math.log2(max(size[40.0], 1e-12) / max(size[20.0], 1e-12))
    if growth > 1.5:
        kind = "theta·phi (the dot-product variant, divided by N)" if growth > 2.5 else \
            "the pairwise term (the concatenation variant?)"
        raise CheckFailed(f"doubling a large x multiplied W(y) by {2 ** growth:.1f}: the attention weights grow "
                          f"with {kind}. The embedded Gaussian normalises with a softmax, so y stays a weighted "
                          "average of g and grows like x")


@check("the softmax runs over the keys j (each position's weights sum to 1)",
       hint="softmax over the last axis of theta @ phi, shaped (B, N_queries, N_keys)")
def softmax_over_keys(ctx):
    module, x = drawn(ctx.make(8)), randn(1, 8, 3, 4, seed=6)
    moved = x.clone()
    moved[:, :, 0, 0] += 1.5
    moved[:, :, 2, 3] -= 1.5  # the same sum over positions, spread differently

    def total(t):
        return (ctx.run(module, t) - t).sum(dim=(2, 3))

    if torch.allclose(total(x), total(moved), atol=1e-5, rtol=1e-4):
        raise CheckFailed("the sum of W(y) over positions depends only on the sum of x over positions: the "
                          "attention weights of each key sum to 1, so the softmax runs over the queries "
                          "(dim=1 of theta @ phi); it must run over the keys (dim=-1)")


@check("theta, phi and g map C to inter channels (max(1, C // 2) by default)",
       hint="inter = inter_channels or max(1, channels // 2); theta, phi, g = Conv2d(C, inter, 1)")
def inter_channels(ctx):
    for args, kwargs, inter in (((16,), {}, 8), ((16,), {"inter_channels": 4}, 4)):
        module = ctx.make(*args, **kwargs)
        rows = sum(p.shape[0] for p in module.named_parameters().values() if p.dim() >= 2 and p.shape[1] == 16)
        if rows != 3 * inter:
            call = "NonLocalBlock(16" + "".join(f", {k}={v}" for k, v in kwargs.items()) + ")"
            raise CheckFailed(f"in {call} the layers reading x have {rows} output channels together; theta, phi "
                              f"and g should have inter = {inter} each ({3 * inter} together)")
