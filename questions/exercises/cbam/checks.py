"""CBAM(channels, reduction=16, kernel_size=7) -> refined features: checks of its own behaviour."""

import torch
import torch.nn.functional as F

from quizcli.grader.checklib import (
    CheckFailed,
    by_shape,
    check,
    close,
    drawn,
    expect_half,
    expect_open_unit,
    gate_of,
    mlp_weights,
    positive,
    randn,
)


@check("all parameters zero gives exactly 0.25·x",
       hint="both maps are sigmoid(0) = 0.5 then, and x is multiplied by each once: 0.5 · 0.5 · x")
def zeroed_quarter(ctx):
    expect_half(ctx, ctx.make(16), randn(2, 16, 5, 5), 0.25, returns_map=False)


@check("rescales x by a channel map times a spatial map, each in (0, 1)",
       hint="out = Ms(F') * F' with F' = Mc(x) * x: one factor per channel, one per position")
def factorised_gate(ctx):
    module, x = drawn(ctx.make(16, reduction=4, kernel_size=3), scale=0.5), positive(2, 16, 5, 6)
    gate = gate_of(ctx, module, x)
    expect_open_unit(gate, "out / x", hint="multiply x by the two maps; add nothing (no residual)")
    log = gate.log().flatten(2)
    residual = log - log.mean(dim=1, keepdim=True) - log.mean(dim=2, keepdim=True) + log.mean(dim=(1, 2),
                                                                                               keepdim=True)
    if residual.abs().max().item() > 1e-4:
        raise CheckFailed("out / x is not a per-channel factor times a per-position factor: "
                          "multiply x by the (B, C, 1, 1) map and by the (B, 1, H, W) map, nothing else")


@check("applies the channel map first, then the spatial map computed from F'",
       hint="F' = Mc(x) * x; then the spatial map is computed from F', not from x")
def channel_then_spatial(ctx):
    c, r, k = 16, 4, 3
    module = drawn(ctx.make(c, reduction=r, kernel_size=k))
    w1, b1, w2, b2 = mlp_weights(module, c, max(1, c // r))
    convs = by_shape(module, (1, 2, k, k))
    if len(convs) != 1:
        raise CheckFailed(f"found {len(convs)} weights shaped (1, 2, {k}, {k}) for CBAM(..., kernel_size={k}); "
                          "expected one spatial convolution from the 2 pooled maps to 1")
    name, weight = next(iter(convs.items()))
    stem = name[:-len("weight")] if name.endswith("weight") else name + "."
    params = module.named_parameters()
    if stem + "bias" in params and params[stem + "bias"].numel() == 1:
        module.set_parameters({stem + "bias": torch.zeros_like(params[stem + "bias"])})
    x = positive(2, c, 5, 6) * 2
    out = ctx.run(module, x)

    def channel_map(f):
        def mlp(v):
            return torch.relu(v @ w1.T + b1) @ w2.T + b2
        return torch.sigmoid(mlp(f.mean(dim=(2, 3))) + mlp(f.amax(dim=(2, 3)))).view(f.shape[0], c, 1, 1)

    def spatial_map(f, flip):
        pooled = [f.mean(dim=1, keepdim=True), f.amax(dim=1, keepdim=True)]
        return torch.sigmoid(F.conv2d(torch.cat(pooled[::-1] if flip else pooled, dim=1), weight, padding=k // 2))

    for flip in (False, True):
        refined = channel_map(x) * x
        want = spatial_map(refined, flip) * refined
        if close(out, want):
            return None
        if close(out, want + x):
            raise CheckFailed("the output is CBAM(x) + x: x is added back (a residual). The contract returns the "
                              "refined features; the block that uses CBAM adds the residual",
                              hint="return F'' = Ms(F') * F'")
        if close(out, spatial_map(x, flip) * channel_map(x) * x):
            raise CheckFailed("the spatial map is computed from x, not from F' = Mc(x) * x; CBAM applies the "
                              "channel map first and computes the spatial map from its output")
        spatial_first = spatial_map(x, flip) * x
        if close(out, channel_map(spatial_first) * spatial_first):
            raise CheckFailed("the spatial map is applied before the channel map; CBAM applies the channel map "
                              "first (the paper found that order best)")
    raise CheckFailed("with the MLP and the spatial convolution set, the output is not Ms(F') * F' for "
                      "F' = Mc(x) * x, Mc = sigmoid(mlp(avg) + mlp(max)), Ms = sigmoid(conv([mean, max] over C))")
