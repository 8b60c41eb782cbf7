"""The probes' own machinery: weights drawn from a parameter's size (not its name or place), BatchNorm made
the identity, parameter counts explained by the allowed extras, and the learner's errors read."""

from __future__ import annotations

from pathlib import Path

import torch

from quizcli.grader.checklib import count_explained, drawn, error_type, error_where, hint_for_error
from quizcli.grader.proxy import Ctx, LearnerError, LocalConnection

SOURCE = '''
import torch
from torch import nn


class Pair(nn.Module):
    def __init__(self, conv_first=True, bn=False):
        super().__init__()
        if conv_first:
            self.a = nn.Conv2d(8, 4, 1, bias=False)
            self.b = nn.Linear(8, 4, bias=False)
        else:
            self.b = nn.Linear(8, 4, bias=False)
            self.a = nn.Conv2d(8, 4, 1, bias=False)
        self.bn = nn.BatchNorm2d(4, eps=1e-3) if bn else nn.Identity()

    def forward(self, x):
        return self.bn(self.a(x))
'''


def local(tmp_path: Path) -> Ctx:
    path = tmp_path / "pair.py"
    path.write_text(SOURCE, encoding="utf-8")
    ctx = Ctx(LocalConnection(path))
    ctx.call("load", source=torch.frombuffer(bytearray(SOURCE.encode()), dtype=torch.uint8), class_name="Pair",
             filename=str(path.resolve()))
    return ctx


def test_drawn_weights_follow_size_not_name_or_order(tmp_path: Path) -> None:
    ctx = local(tmp_path)
    first = drawn(ctx.make(True)).named_parameters()
    second = drawn(ctx.make(False)).named_parameters()
    assert not torch.equal(first["a.weight"].flatten(), first["b.weight"].flatten())  # two of one size differ
    assert {tuple(t.flatten().tolist()) for t in first.values()} == \
        {tuple(t.flatten().tolist()) for t in second.values()}
    assert not torch.equal(drawn(ctx.make(True), 1).named_parameters()["a.weight"],
                           drawn(ctx.make(True), 2).named_parameters()["a.weight"])


def test_batchnorm_is_made_the_identity(tmp_path: Path) -> None:
    ctx = local(tmp_path)
    module = ctx.make(True, bn=True)
    module.set_parameters({"bn.weight": torch.zeros(4)})  # as a zero-initialised last BatchNorm
    probe = drawn(module)
    weight = probe.named_parameters()["a.weight"]
    x = torch.randn(2, 8, 3, 3)
    want = torch.nn.functional.conv2d(x, weight)
    assert torch.allclose(ctx.run(probe, x), want, atol=1e-5)


def test_parameter_counts_name_the_extras() -> None:
    extras = {"a bias on the first layer": 2, "a bias on the second layer": 32}
    assert count_explained(128, 128, extras) == []
    assert count_explained(162, 128, extras) == ["a bias on the first layer", "a bias on the second layer"]
    assert count_explained(130, 128, extras) == ["a bias on the first layer"]
    assert count_explained(129, 128, extras) is None


def test_learner_errors_are_read_for_line_type_and_hint() -> None:
    error = LearnerError("my.py:12 in forward: NameError: name 'torch' is not defined\n    torch.mean(x)")
    assert error_where(error) == "my.py:12" and error_type(error) == "NameError"
    assert "import torch" in hint_for_error(error)
    binding = LearnerError("TypeError: __init__() got an unexpected keyword argument 'reduction'")
    assert error_where(binding) is None and error_type(binding) == "TypeError"
