"""SelfAttention2d(channels, heads=4) -> multi-head self-attention output (B, C, H, W): its own checks."""

import itertools
import math

import torch
import torch.nn.functional as F

from quizcli.grader.checklib import (
    CheckFailed,
    LearnerError,
    bias_for,
    check,
    close,
    drawn,
    error_type,
    expect_close,
    randn,
    shuffle_positions,
    weight_2d,
    zeroed,
)


@check("raises ValueError when channels is not divisible by heads",
       hint="if channels % heads: raise ValueError(f'channels ({channels}) must be divisible by heads ({heads})')")
def rejects_indivisible(ctx):
    try:
        ctx.make(30, heads=4)
    except LearnerError as exc:
        if error_type(exc) == "ValueError":
            return None
        raise CheckFailed(f"SelfAttention2d(30, heads=4) raised {error_type(exc) or 'an error'}, not ValueError: "
                          f"{exc}") from None
    raise CheckFailed("SelfAttention2d(30, heads=4) was built: 30 channels cannot be split into 4 heads; raise "
                      "ValueError in __init__")


@check("all parameters zero gives exactly 0 (no residual)",
       hint="return proj(attention output); the residual x + ... belongs to the block that uses this")
def zeroed_zero(ctx):
    x = randn(2, 16, 4, 5)
    out = ctx.run(zeroed(ctx.make(16)), x)
    if out.shape == x.shape and torch.equal(out, torch.zeros_like(x)):
        return None
    if out.shape == x.shape and torch.allclose(out, x):
        raise CheckFailed("with every parameter zero the output is x: x is added back (a residual). The contract "
                          "returns the attention output only", folds=True)
    raise CheckFailed(f"with every parameter zero the output spans [{out.min().item():.4g}, {out.max().item():.4g}]"
                      "; v = 0 then, so the output should be exactly 0")


@check("shuffling positions shuffles the output the same way",
       hint="split C into (heads, d) and move heads before N: (B, N, C) -> (B, N, heads, d) -> (B, heads, N, d)")
def position_equivariance(ctx):
    module, x = drawn(ctx.make(16)), randn(2, 16, 4, 5)
    got, want = ctx.run(module, shuffle_positions(x)), shuffle_positions(ctx.run(module, x))
    expect_close(got, want, "shuffling the positions of x did not just shuffle the output: positions are mixed, "
                 "usually by a reshape that splits heads across positions (heads mixed), e.g. (B, N, C)"
                 ".reshape(B, heads, N, d) without going through (B, N, heads, d)", atol=1e-4)


SEPARATE = {"q": ("q", "query", "to_q", "q_proj", "wq"), "k": ("k", "key", "to_k", "k_proj", "wk"),
            "v": ("v", "value", "to_v", "v_proj", "wv")}


def _owner(name):
    return name.rpartition(".")[0].rpartition(".")[2] if "." in name else ""


def _find(module, name, rows, channels):
    """(weight (rows, C), bias) of the layer named `name`; else the one weight of that shape; for qkv, also
    three separate q, k and v projections stacked."""
    params = module.named_parameters()
    shapes = ((rows, channels), (rows, channels, 1), (rows, channels, 1, 1))
    named = [n for n in params if (n == f"{name}.weight" or n.endswith(f".{name}.weight"))
             and tuple(params[n].shape) in shapes]
    shaped = [n for n, p in params.items() if tuple(p.shape) in shapes]
    found = named or (shaped if len(shaped) == 1 else [])
    if len(found) == 1:
        return weight_2d(params[found[0]]), bias_for(params, found[0], rows)
    square = [n for n, p in params.items()
              if tuple(p.shape) in ((channels, channels), (channels, channels, 1), (channels, channels, 1, 1))]
    parts = {key: [n for n in square if _owner(n) in names] for key, names in SEPARATE.items()}
    if name == "qkv" and all(len(v) == 1 for v in parts.values()):
        chosen = [parts[key][0] for key in "qkv"]
        return (torch.cat([weight_2d(params[n]) for n in chosen]),
                torch.cat([bias_for(params, n, channels) for n in chosen]))
    if name == "proj":
        rest = [n for n in square if not any(n in v for v in parts.values())]
        if len(rest) == 1:
            return weight_2d(params[rest[0]]), bias_for(params, rest[0], channels)
    raise CheckFailed(f"no `{name}` projection: expected one layer named {name} with a weight of "
                      f"({rows}, {channels}) (Linear) or ({rows}, {channels}, 1, 1) (1x1 conv)",
                      hint=f"self.{name} = nn.Linear(...) or nn.Conv2d(..., kernel_size=1)")


def reference(x, wqkv, bqkv, wproj, bproj, heads, layout="3hd", merge="hd", scale=None, keys_dim=-1):
    b, c, h, w = x.shape
    n, d = h * w, c // heads
    tokens = x.flatten(2).transpose(1, 2)
    qkv = tokens @ wqkv.T + bqkv
    sizes = {"3": 3, "h": heads, "d": d}
    qkv = qkv.reshape(b, n, *[sizes[a] for a in layout])
    qkv = qkv.permute(layout.index("3") + 2, 0, layout.index("h") + 2, 1, layout.index("d") + 2)
    q, k, v = qkv[0], qkv[1], qkv[2]
    if scale is None and keys_dim == -1:
        out = F.scaled_dot_product_attention(q, k, v)
    else:
        scores = q @ k.transpose(-2, -1) * (1 / math.sqrt(d) if scale is None else scale)
        out = scores.softmax(dim=keys_dim) @ v
    out = out.transpose(1, 2) if merge == "hd" else out.permute(0, 2, 3, 1)
    y = out.reshape(b, n, c) @ wproj.T + bproj
    return y.transpose(1, 2).reshape(b, c, h, w)


@check("agrees with F.scaled_dot_product_attention on the qkv and proj weights the check sets",
       hint="q, k, v = qkv split in 3 then in heads; softmax(q @ k^T / sqrt(d), dim=-1) @ v; heads back; proj",
       catch_all=True)
def matches_sdpa(ctx):
    c, heads = 16, 4
    module = drawn(ctx.make(c, heads=heads), 3)
    wqkv, bqkv = _find(module, "qkv", 3 * c, c)
    wproj, bproj = _find(module, "proj", c, c)
    x = randn(2, c, 3, 4, seed=2)
    out = ctx.run(module, x)
    if out.shape != x.shape:
        raise CheckFailed(f"the output is shaped {tuple(out.shape)}, not like x")
    args = (x, wqkv, bqkv, wproj, bproj)
    if close(out, reference(*args, heads)):
        return None
    for layout, merge in itertools.product(("".join(p) for p in itertools.permutations("3hd")), ("hd", "dh")):
        if close(out, reference(*args, heads, layout=layout, merge=merge)):
            return (f"qkv's output channels are read as ({', '.join(layout)}) and the heads merged as "
                    f"({', '.join(merge)}), not timm's (3, heads, d): equivalent once trained; accepted")
    d = c // heads
    named = [
        (reference(*args, heads, scale=1.0), "the scores are not scaled: divide q·k by sqrt(d) = "
         f"sqrt(C / heads) = {math.sqrt(d):g}, or the softmax saturates as d grows"),
        (reference(*args, heads, scale=1 / math.sqrt(c)), f"the scores are scaled by 1/sqrt(C) = 1/sqrt({c}); "
         f"the scale is per head, 1/sqrt(d) with d = C / heads = {d}"),
        (reference(*args, heads, keys_dim=-2), "the softmax runs over the queries (dim=-2); it must run over the "
         "keys (the last dim of q @ k^T), so each query's weights sum to 1"),
        (reference(*args, 1), "one attention over all C channels: the heads are not separate. Split q, k and v "
         "into heads of d = C / heads channels, each with its own softmax"),
        (reference(*args, heads) + x, "the output is attention(x) + x: x is added back (a residual). The "
         "contract returns the attention output only"),
    ]
    for want, message in named:
        if close(out, want):
            raise CheckFailed(message)
    raise CheckFailed("with the qkv and proj weights set, the output differs from multi-head scaled dot-product "
                      f"attention (F.scaled_dot_product_attention with {heads} heads of d = {d})")
