"""Realistic mistakes, each one edit away from a reference solution, are all caught (in-process grading of
trusted code: the edits are ours). The golden cases check the messages; this checks the breadth."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizcli.grader.contract import run_local

EXERCISES = Path(__file__).resolve().parent.parent / "questions" / "exercises"
MISTAKES = {
 "spatial-attention": [
  ("torch.mean(x, dim=1", "torch.sum(x, dim=1"),
  ("x = torch.cat([avg_out, max_out], dim=1)", "x = torch.cat([max_out, max_out], dim=1)"),
  ("return self.sigmoid(x)", "return self.sigmoid(torch.relu(x))"),
  ("bias=False)", "bias=False, padding_mode='reflect')"),
  ("return self.sigmoid(x)", "return x"),
  ("return self.sigmoid(x)", "return torch.tanh(x).abs()"),
 ],
 "channel-attention": [
  ("return torch.sigmoid(avg + mx)",
   "return torch.sigmoid(self.mlp(torch.mean(x, dim=(2, 3), keepdim=True) + torch.amax(x, dim=(2, 3), keepdim=True)))"),
  ("return torch.sigmoid(avg + mx)", "return (torch.sigmoid(avg) + torch.sigmoid(mx)) / 2"),
  ("nn.ReLU(inplace=True),", "nn.Identity(),"),
  ("return torch.sigmoid(avg + mx)", "return torch.sigmoid(avg + avg)"),
  ("return torch.sigmoid(avg + mx)", "return torch.sigmoid(avg * mx)"),
  ("hidden = max(1, channels // reduction)", "hidden = max(1, channels // 4)"),
 ],
 "se-block": [
  ("x.mean(dim=(2, 3))", "x.amax(dim=(2, 3))"),
  ("return x * s.view(b, c, 1, 1)", "return x + x * s.view(b, c, 1, 1)"),
  ("nn.ReLU(inplace=True),", ""),
  ("nn.Sigmoid(),", "nn.Softmax(dim=1),"),
  ("x.mean(dim=(2, 3))", "x.sum(dim=(2, 3))"),
 ],
 "eca": [
  ("padding=k // 2", "padding=(k - 1)"),
  ("bias=False", "bias=True"),
  ("x.mean(dim=(2, 3))", "x.amax(dim=(2, 3))"),
  ("y = torch.sigmoid(self.conv(y)).view(b, c, 1, 1)", "y = self.conv(y).view(b, c, 1, 1)"),
  ("k = t if t % 2 else t + 1", "k = 3"),
  ("k = t if t % 2 else t + 1", "k = t"),
  ("return x * y", "return x * y + x"),
 ],
 "non-local": [
  ("dim=-1)", "dim=1)"),
  ("return self.W(y) + x", "return self.W(y)"),
  ("        nn.init.zeros_(self.W[1].weight)\n", ""),
  ("self.inter = inter_channels or max(1, channels // 2)", "self.inter = inter_channels or channels"),
  ("attention = torch.softmax(theta @ phi, dim=-1)", "attention = torch.sigmoid(theta @ phi)"),
  ("attention = torch.softmax(theta @ phi, dim=-1)",
   "attention = torch.softmax(theta @ theta.transpose(1, 2), dim=-1)"),
 ],
 "self-attention": [
  ("scores = q @ k.transpose(-2, -1) / (c // self.heads) ** 0.5", "scores = q @ k.transpose(-2, -1) / c ** 0.5"),
  ("scores = q @ k.transpose(-2, -1) / (c // self.heads) ** 0.5", "scores = q @ k.transpose(-2, -1)"),
  ("torch.softmax(scores, dim=-1)", "torch.softmax(scores, dim=-2)"),
  ("return out.transpose(1, 2).reshape(b, c, h, w)", "return out.transpose(1, 2).reshape(b, c, h, w) + x"),
  ("return out.transpose(1, 2).reshape(b, c, h, w)", "return out.reshape(b, c, h, w)"),
  ("        if channels % heads:\n            raise ValueError(f\"channels ({channels}) must be divisible by heads "
   "({heads})\")\n", ""),
  ("q, k, v = qkv.permute(2, 0, 3, 1, 4)", "q, v, k = qkv.permute(2, 0, 3, 1, 4)"),
 ],
}
CASES = [(name, i, old, new) for name, edits in MISTAKES.items() for i, (old, new) in enumerate(edits)]


@pytest.mark.parametrize(("exercise", "index", "old", "new"), CASES, ids=[f"{n}-{i}" for n, i, _, _ in CASES])
def test_mistake_fails(exercise: str, index: int, old: str, new: str, tmp_path: Path) -> None:
    directory = EXERCISES / exercise
    source = (directory / "solution.py").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / f"mistake_{index}.py"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    class_name = yaml.safe_load((directory / "exercise.yaml").read_text(encoding="utf-8"))["class"]
    outcomes = run_local(path, directory, class_name)
    assert any(o.status != "pass" for o in outcomes), f"{new!r} passed every check"
