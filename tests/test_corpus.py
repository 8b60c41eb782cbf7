"""Correct implementations written in the styles real code uses (tests/corpus/<exercise>/*.py) pass every
check under every init: PyTorch's default with several seeds, kaiming_normal_(mode='fan_out'), normal with
std 0.01 and 0.001, and the last BatchNorm zero-initialised where there is one.

The init is applied by a small subclass in a generated file, as a learner's own code would do it; the grader
never changes a module's weights for this. Layers the implementation zero-initialised on purpose (the
non-local block's W) are left as they are: the contract asks for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizcli.grader.contract import run_local
from quizcli.grader.exercises import load_exercises

CORPUS = Path(__file__).parent / "corpus"
EXERCISES = {e.name: e for e in load_exercises()}
INITS = ["default-seed-0", "default-seed-1", "default-seed-2", "kaiming-fan-out", "normal-0.01", "normal-0.001",
         "zero-last-batchnorm"]

WRAPPER = '''

import torch as _aq_torch
from torch import nn as _aq_nn

_AQ_LAYERS = (_aq_nn.Conv1d, _aq_nn.Conv2d, _aq_nn.Linear)
_AQ_NORMS = (_aq_nn.BatchNorm1d, _aq_nn.BatchNorm2d)


def _aq_init(module, kind, seed):
    _aq_torch.manual_seed(seed)
    with _aq_torch.no_grad():
        for sub in module.modules() if kind != "zero-last-batchnorm" else ():
            own = [p for p in sub.parameters(recurse=False) if p.dim() >= 2]
            if isinstance(sub, _AQ_NORMS) or not own or all(not p.any() for p in own):
                continue  # norms keep their init; zero-initialised weights are part of the contract
            for p in own:
                if kind == "default":
                    _aq_nn.init.kaiming_uniform_(p, a=5 ** 0.5)
                elif kind == "kaiming-fan-out":
                    _aq_nn.init.kaiming_normal_(p, mode="fan_out", nonlinearity="relu")
                else:
                    _aq_nn.init.normal_(p, 0.0, float(kind.split("-")[1]))
            for p in sub.parameters(recurse=False):
                if p.dim() == 1 and kind != "default":
                    p.zero_()
        if kind == "zero-last-batchnorm":
            norms = [m for m in module.modules() if isinstance(m, _AQ_NORMS)]
            norms[-1].weight.zero_()


_AqOriginal = {cls}


class {cls}(_AqOriginal):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _aq_init(self, {kind!r}, {seed})
'''


def cases() -> list[tuple[str, Path, str]]:
    found = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.py")):
            has_norm = "BatchNorm" in path.read_text(encoding="utf-8")
            found += [(folder.name, path, init) for init in INITS if init != "zero-last-batchnorm" or has_norm]
    return found


CASES = cases()


def test_corpus_covers_every_exercise() -> None:
    assert {name for name, _, _ in CASES} == set(EXERCISES)
    for name in EXERCISES:
        assert len({path for n, path, _ in CASES if n == name}) >= 3, name


@pytest.mark.parametrize(("exercise", "path", "init"), CASES,
                         ids=[f"{n}/{p.stem}/{i}" for n, p, i in CASES])
def test_correct_implementation_passes_under_init(exercise: str, path: Path, init: str, tmp_path: Path) -> None:
    spec = EXERCISES[exercise]
    class_name = yaml.safe_load((spec.directory / "exercise.yaml").read_text(encoding="utf-8"))["class"]
    kind, seed = (init.rsplit("-seed-", 1)[0], int(init.rsplit("-", 1)[1])) if "seed" in init else (init, 0)
    source = path.read_text(encoding="utf-8") + WRAPPER.format(cls=class_name, kind=kind, seed=seed)
    wrapped = tmp_path / f"{path.stem}.py"
    wrapped.write_text(source, encoding="utf-8")
    outcomes = run_local(wrapped, spec.directory, class_name)
    failed = [(o.name, o.status, o.message) for o in outcomes if o.status != "pass"]
    assert not failed, failed
