"""Checks for CBAM(channels, reduction=16, kernel_size=7) -> refined features, same shape as x."""

import torch
import torch.nn.functional as F

from quizcli.grader.checklib import (
    CheckFailed,
    Ctx,
    Registry,
    expect_half_gate,
    expect_open_unit,
    expect_shape,
    gate_of,
    n_params,
    positive,
    randn,
    register_standard_checks,
    zero_parameters,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "CBAM(channels, reduction=16, kernel_size=7)"
CONSTRUCT = [{"channels": 32}, {"channels": 32, "reduction": 8, "kernel_size": 3}]
registry = Registry()
check = registry.check


@check("builds for several channel counts and kernel sizes",
       hint="__init__(self, channels, reduction=16, kernel_size=7)")
def builds(ctx):
    ctx.make(32)
    ctx.make(32, reduction=8, kernel_size=3)
    ctx.make(8)


@check("returns refined features, the same shape as x",
       hint="return the features multiplied by both maps, not one of the maps")
def output_shape(ctx):
    for c, shape in ((32, (2, 32, 5, 7)), (32, (1, 32, 4, 4)), (8, (3, 8, 9, 11)), (32, (2, 32, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(c), x), shape, x, returns_map=False)


@check("has 2·C·h + 2·k² parameters",
       hint="one shared MLP C -> h -> C (h = max(1, C // reduction)) and one Conv2d(2, 1, k)")
def parameter_count(ctx):
    for c, r, k in ((32, 16, 7), (64, 8, 3)):
        h = max(1, c // r)
        base = 2 * c * h + 2 * k * k
        n = n_params(ctx.make(c, reduction=r, kernel_size=k))
        allowed = {base + extra for extra in (0, h, c, h + c, 1, h + 1, c + 1, h + c + 1)}
        if n not in allowed:
            raise CheckFailed(f"CBAM({c}, reduction={r}, kernel_size={k}) has {n} parameters; expected "
                              f"2·C·h + 2·k² = {2 * c * h} + {2 * k * k} = {base} (biases allowed)")


@check("all parameters zero gives exactly 0.25·x",
       hint="both maps are sigmoid(0) = 0.5 then, and x is multiplied by each once: 0.5 · 0.5 · x")
def zeroed_quarter(ctx):
    expect_half_gate(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.25, returns_map=False)


@check("rescales x by a channel map times a spatial map, each in (0, 1)",
       hint="out = Ms(F') * F' with F' = Mc(x) * x: one factor per channel, one per position")
def factorised_gate(ctx):
    module, x = ctx.make(16, reduction=4, kernel_size=3), positive(2, 16, 5, 6) * 2
    gate = gate_of(module, x, ctx)
    expect_open_unit(gate, "out / x")
    log = gate.log().flatten(2)
    residual = log - log.mean(dim=1, keepdim=True) - log.mean(dim=2, keepdim=True) + log.mean(dim=(1, 2),
                                                                                               keepdim=True)
    if residual.abs().max().item() > 1e-4:
        raise CheckFailed("out / x is not a per-channel factor times a per-position factor: "
                          "multiply x by the (B, C, 1, 1) map and by the (B, 1, H, W) map, nothing else")


@check("applies the channel map first, then the spatial map",
       hint="F' = Mc(x) * x; then the spatial map is computed from F', not from x")
def channel_then_spatial(ctx):
    k = 3
    module = ctx.make(16, reduction=4, kernel_size=k)
    convs = [(n, p) for n, p in module.named_parameters().items() if tuple(p.shape) == (1, 2, k, k)]
    if len(convs) != 1:
        raise CheckFailed(f"could not find the spatial convolution, a weight shaped (1, 2, {k}, {k})")
    name, weight = convs[0]
    zero_parameters(module)  # the channel map becomes 0.5 everywhere
    module.set_parameters({name: weight})
    x = positive(2, 16, 5, 5) * 2
    out = ctx.run(module, x)

    def spatial(f, flip):
        pooled = [f.mean(dim=1, keepdim=True), f.amax(dim=1, keepdim=True)]
        return torch.sigmoid(F.conv2d(torch.cat(pooled[::-1] if flip else pooled, dim=1), weight, padding=k // 2))

    channel_first = [spatial(0.5 * x, flip) * 0.5 * x for flip in (False, True)]
    spatial_first = [0.5 * spatial(x, flip) * x for flip in (False, True)]
    if any(torch.allclose(out, want, atol=1e-5) for want in channel_first):
        return None
    if any(torch.allclose(out, want, atol=1e-5) for want in spatial_first):
        raise CheckFailed("the spatial map is computed from x before the channel map is applied; CBAM "
                          "applies the channel map first (the paper found that order best)")
    raise CheckFailed("with only the spatial convolution left, the output is not spatial_map(F') * F' for "
                      "F' = 0.5 · x: the spatial map should be sigmoid(conv([mean over C, max over C]))")


register_standard_checks(registry, lambda ctx: ctx.make(16, reduction=4), (2, 16, 5, 5),
                         batch_hint="never pool over dim 0")
