"""Checks for SpatialAttention(kernel_size=7) -> map (B, 1, H, W)."""

import torch

from quizcli.grader.checklib import (
    CheckFailed,
    Ctx,
    Registry,
    expect_close,
    expect_open_unit,
    expect_shape,
    n_params,
    randn,
    register_standard_checks,
    zero_parameters,
)

__all__ = ["CONSTRUCT", "SIGNATURE", "Ctx", "registry"]
SIGNATURE = "SpatialAttention(kernel_size=7)"
CONSTRUCT = [{}, {"kernel_size": 3}]
registry = Registry()
check = registry.check


@check("builds with kernel_size 7 and 3", hint="__init__(self, kernel_size=7) calls super().__init__() first")
def builds(ctx):
    ctx.make()
    ctx.make(kernel_size=3)


@check("returns the map, shaped (B, 1, H, W)",
       hint="pool with keepdim=True over dim=1; padding=kernel_size // 2 keeps H and W")
def output_shape(ctx):
    for k, shape in ((7, (2, 8, 5, 7)), (7, (1, 3, 4, 4)), (3, (3, 5, 9, 11)), (7, (2, 16, 1, 1))):
        x = randn(*shape)
        expect_shape(ctx.run(ctx.make(kernel_size=k), x), (shape[0], 1, shape[2], shape[3]), x, returns_map=True)


@check("every value of the map lies in (0, 1)", hint="end with a sigmoid (not a softmax, not a ReLU)")
def map_range(ctx):
    expect_open_unit(ctx.run(ctx.make(), randn(2, 8, 6, 6) * 3), "the map")


@check("has 2·k² parameters", hint="one nn.Conv2d(2, 1, k, padding=k // 2, bias=False) and nothing else")
def parameter_count(ctx):
    notes = []
    for k in (7, 3):
        n, want = n_params(ctx.make(kernel_size=k)), 2 * k * k
        if n == want + 1:
            notes.append(f"kernel_size={k}: {n} parameters, one more than 2·k² = {want}: a bias, which "
                         "the seed's answer leaves out (bias=False); allowed")
        elif n != want:
            raise CheckFailed(f"SpatialAttention(kernel_size={k}) has {n} parameters; expected 2·k² = {want}: "
                              "one convolution from 2 pooled maps to 1, k x k")
    return notes[0] if notes else None


@check("all parameters zero gives a map of exactly 0.5",
       hint="the map should be sigmoid(conv(pooled)) with nothing added after the sigmoid")
def zeroed_half(ctx):
    module = ctx.make()
    zero_parameters(module)
    out = ctx.run(module, randn(2, 4, 5, 5))
    if not torch.equal(out, torch.full_like(out, 0.5)):
        raise CheckFailed(f"with every parameter zero the map spans [{out.min().item():.4g}, "
                          f"{out.max().item():.4g}]; sigmoid(0) = 0.5 everywhere was expected")


@check("the map ignores the order of channels", hint="pool over the channel axis (dim=1): mean and max")
def channel_order(ctx):
    module, x = ctx.make(), randn(2, 6, 5, 5)
    expect_close(ctx.run(module, x[:, torch.randperm(6)]), ctx.run(module, x),
                 "shuffling the channels of x changed the map; it should depend on channel statistics only")


@check("pools with both the mean and the max over channels",
       hint="avg = x.mean(dim=1, keepdim=True); mx = x.max(dim=1, keepdim=True).values; cat([avg, mx], dim=1)")
def uses_mean_and_max(ctx):
    module = ctx.make()
    level = randn(1, 1, 6, 6)
    base = level.repeat(1, 4, 1, 1)
    same_mean_higher_max = base + torch.tensor([1.5, -1.5, 0.0, 0.0]).view(1, 4, 1, 1)
    same_max_lower_mean = base + torch.tensor([0.0, -1.0, -1.0, -1.0]).view(1, 4, 1, 1)
    reference = ctx.run(module, base)
    if torch.allclose(ctx.run(module, same_mean_higher_max), reference, atol=1e-6):
        raise CheckFailed("the map did not change when the channel max rose and the mean stayed: "
                          "max pooling over channels is missing")
    if torch.allclose(ctx.run(module, same_max_lower_mean), reference, atol=1e-6):
        raise CheckFailed("the map did not change when the channel mean fell and the max stayed: "
                          "average pooling over channels is missing")


@check("each position sees only its k x k window",
       hint="one k x k convolution with padding k // 2; no global pooling over H or W")
def locality(ctx):
    for k in (3, 7):
        module, x = ctx.make(kernel_size=k), randn(1, 4, 11, 11)
        poked = x.clone()
        poked[:, :, 5, 5] += 4.0
        change = (ctx.run(module, poked) - ctx.run(module, x)).abs()[0, 0]
        r = k // 2
        outside = change.clone()
        outside[5 - r:5 + r + 1, 5 - r:5 + r + 1] = 0
        if outside.max().item() > 1e-6:
            raise CheckFailed(f"with kernel_size={k}, changing x at one position changed the map outside its "
                              f"{k}x{k} window")
        if change[5, 5].item() == 0:
            raise CheckFailed(f"with kernel_size={k}, changing x at one position did not change the map there")


register_standard_checks(registry, lambda ctx: ctx.make(), (2, 4, 6, 6),
                         batch_hint="pool over dim=1 (channels), not dim=0")
