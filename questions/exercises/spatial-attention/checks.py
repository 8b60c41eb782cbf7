"""SpatialAttention(kernel_size=7) -> map (B, 1, H, W): checks of its own behaviour."""

import torch
import torch.nn.functional as F

from quizcli.grader.checklib import (
    CheckFailed,
    by_shape,
    check,
    close,
    drawn,
    expect_close,
    expect_half,
    expect_open_unit,
    randn,
    responds,
)


@check("every value of the map lies in (0, 1)", hint="end with a sigmoid (not a softmax, not a ReLU)")
def map_range(ctx):
    module = ctx.make()
    for seed in (1, 2):
        expect_open_unit(ctx.run(drawn(module, seed, scale=0.5), randn(2, 8, 6, 6, seed=seed)), "the map")


@check("all parameters zero gives a map of exactly 0.5",
       hint="the map should be sigmoid(conv(pooled)) with nothing added after the sigmoid")
def zeroed_half(ctx):
    expect_half(ctx, ctx.make(), randn(2, 4, 5, 5), 0.5, returns_map=True)


@check("the map ignores the order of channels", hint="pool over the channel axis (dim=1): mean and max")
def channel_order(ctx):
    module, x = drawn(ctx.make()), randn(2, 6, 5, 5)
    perm = torch.randperm(6, generator=torch.Generator().manual_seed(3))
    expect_close(ctx.run(module, x[:, perm]), ctx.run(module, x),
                 "shuffling the channels of x changed the map; it should depend on channel statistics only")


@check("pools with both the mean and the max over channels",
       hint="avg = x.mean(dim=1, keepdim=True); mx = x.amax(dim=1, keepdim=True); cat([avg, mx], dim=1)")
def uses_mean_and_max(ctx):
    module = ctx.make()
    base = randn(1, 1, 6, 6).repeat(1, 4, 1, 1)
    same_mean_higher_max = base + torch.tensor([1.5, -1.5, 0.0, 0.0]).view(1, 4, 1, 1)
    same_max_lower_mean = base + torch.tensor([0.0, -1.0, -1.0, -1.0]).view(1, 4, 1, 1)
    if not responds(ctx, module, base, same_mean_higher_max)[0]:
        raise CheckFailed("the map did not change when the channel max rose and the mean stayed: "
                          "max pooling over channels is missing")
    if not responds(ctx, module, base, same_max_lower_mean)[0]:
        raise CheckFailed("the map did not change when the channel mean fell and the max stayed: "
                          "average pooling over channels is missing")


@check("each position sees only its k x k window, at the borders too",
       hint="one k x k convolution with zero padding k // 2; no global pooling over H or W")
def locality(ctx):
    for k in (3, 7):
        module = drawn(ctx.make(kernel_size=k))
        x = randn(1, 4, 11, 11)
        for i, j in ((5, 5), (0, 0), (10, 4)):
            poked = x.clone()
            poked[:, :, i, j] += 4.0
            change = (ctx.run(module, poked) - ctx.run(module, x)).abs()[0, 0]
            r = k // 2
            outside = change.clone()
            outside[max(0, i - r):i + r + 1, max(0, j - r):j + r + 1] = 0
            if outside.max().item() > 1e-6:
                raise CheckFailed(f"with kernel_size={k}, changing x at ({i}, {j}) changed the map outside its "
                                  f"{k}x{k} window" + (" (it wrapped around: circular padding?)" if (i, j) != (5, 5)
                                                      else ""))
            if change[i, j].item() == 0:
                raise CheckFailed(f"with kernel_size={k}, changing x at ({i}, {j}) did not change the map there")


@check("computes sigmoid(conv([mean, max])) with zero padding",
       hint="torch.sigmoid(self.conv(torch.cat([avg, mx], dim=1))) with padding=k // 2", catch_all=True)
def matches_reference(ctx):
    k = 3
    made = ctx.make(kernel_size=k)
    module = drawn(made)
    convs = by_shape(module, (1, 2, k, k))
    if len(convs) != 1:
        raise CheckFailed(f"found {len(convs)} weights shaped (1, 2, {k}, {k}); expected one convolution "
                          "from the 2 pooled maps to 1")
    name, weight = next(iter(convs.items()))
    others = {n: p for n, p in module.named_parameters().items() if n != name and p.dim() == 1 and p.numel() == 1}
    bias = {n: torch.zeros_like(p) for n, p in others.items() if n.endswith("bias") and n.rpartition(".")[0]
            == name.rpartition(".")[0]}
    module.set_parameters(bias)
    x = randn(2, 5, 7, 6)
    out = ctx.run(module, x)
    pooled = [x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)]
    for order in (pooled, pooled[::-1]):
        if close(out, torch.sigmoid(F.conv2d(torch.cat(order, dim=1), weight, padding=k // 2)), atol=1e-5):
            return None
    summed = [x.sum(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)]
    for order in (summed, summed[::-1]):
        if close(out, torch.sigmoid(F.conv2d(torch.cat(order, dim=1), weight, padding=k // 2)), atol=1e-5):
            raise CheckFailed("the map uses the sum over channels, not the mean: it then depends on C",
                              hint="x.mean(dim=1, keepdim=True)")
    where = made.where(name)
    raise CheckFailed("with the convolution's weight set and everything else neutral, the map is not "
                      "sigmoid(conv([mean over C, max over C])) with zero padding" + (f" (conv built at {where})"
                                                                                      if where else ""))
