"""An exercise is data: its contract in exercise.yaml, its own checks in checks.py; this engine joins them.

The contract (class, constructor, what forward returns and its shape, the parameter rule) lives once in
exercise.yaml. From it this module registers the standard checks (builds, output_shape, parameter_count first;
input_untouched, gradients, deterministic, float64, batch_independent last) around the exercise's own checks,
and runs every check through one wrapper that folds failures explained by an earlier one.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import yaml

from quizcli.grader import checklib
from quizcli.grader.checklib import (
    Check,
    CheckFailed,
    Registry,
    StopGrade,
    count_explained,
    drawn,
    error_type,
    error_where,
    expect_close,
    expect_shape,
    hint_for_error,
    input_error,
    padding_lines,
    randn,
)
from quizcli.grader.proxy import Ctx, LearnerError, LocalConnection, Module, WorkerStopped

Call = tuple[tuple[Any, ...], dict[str, Any]]
FUNCTIONS: dict[str, Any] = {"max": max, "min": min, "int": int, "abs": abs, "log2": math.log2, "sqrt": math.sqrt}


def as_call(case: Any) -> Call:
    """A constructor case from YAML: [32, {reduction: 8}] -> ((32,), {'reduction': 8}); {} -> ((), {})."""
    if isinstance(case, dict):
        return (), dict(case)
    items = list(case or [])
    kwargs = items.pop() if items and isinstance(items[-1], dict) else {}
    return tuple(items), dict(kwargs)


@dataclass
class Contract:
    class_name: str
    signature: str
    positional: list[str]
    keyword: dict[str, Any]
    builds: list[Call]
    returns: str  # 'map' (the attention map), 'features' (x rescaled, shaped like x) or 'tensor' (shaped like x)
    output: list[str]
    shapes: list[tuple[Call, tuple[int, ...]]]
    params: dict[str, Any] | None
    probe: tuple[Call, tuple[int, ...]]
    hints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Contract:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        c = data["contract"]
        return cls(class_name=data["class"], signature=data["signature"], positional=list(c.get("positional", [])),
                   keyword=dict(c.get("keyword", {})), builds=[as_call(b) for b in c["builds"]],
                   returns=c["returns"], output=[str(s) for s in c["output"]],
                   shapes=[(as_call(s[0]), tuple(s[1])) for s in c["shapes"]], params=c.get("params"),
                   probe=(as_call(c["probe"][0]), tuple(c["probe"][1])), hints=dict(c.get("hints", {})))

    def bind(self, call: Call) -> dict[str, Any]:
        """Names for a constructor case: positional values by the contract's names, then keyword defaults."""
        args, kwargs = call
        values = dict(self.keyword)
        values.update(zip(self.positional, args, strict=False))
        values.update(kwargs)
        return values

    def show(self, call: Call) -> str:
        args, kwargs = call
        parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
        return f"{self.class_name}({', '.join(parts)})"

    def evaluate(self, expression: Any, names: dict[str, Any]) -> Any:
        if not isinstance(expression, str):
            return expression
        return eval(expression, {"__builtins__": {}, **FUNCTIONS}, names)  # noqa: S307 (our own YAML)

    def expected_shape(self, x_shape: tuple[int, ...]) -> tuple[int, ...]:
        dims = dict(zip("BCHW", x_shape, strict=False))
        return tuple(dims[s] if s in dims else int(s) for s in self.output)


@dataclass
class Suite:
    """What the checker runs: `registry.checks` in order; CONSTRUCT and SIGNATURE for its constructor check."""

    contract: Contract
    checks: list[Check]
    cause: str | None = None  # the check whose failure explains later ones
    errors: dict[str, str] = field(default_factory=dict)  # learner error (line, kind) -> the check that saw it first
    failed: list[str] = field(default_factory=list)  # checks that did not pass, in order

    def reset(self) -> None:
        self.cause, self.errors, self.failed = None, {}, []

    @property
    def registry(self) -> Suite:
        return self

    @property
    def CONSTRUCT(self) -> list[dict[str, Any]]:  # noqa: N802 (the checker's name for it)
        return [{"args": list(args), "kwargs": kwargs} for args, kwargs in self.contract.builds]

    @property
    def SIGNATURE(self) -> str:  # noqa: N802
        return self.contract.signature


def make(ctx: Ctx, call: Call) -> Module:
    args, kwargs = call
    return ctx.make(*args, **kwargs)


def _wrap(suite: Suite, check: Check) -> Check:
    def run(ctx: Ctx) -> str | None:
        try:
            return check.fn(ctx)
        except StopGrade:
            raise
        except CheckFailed as exc:
            earlier = list(suite.failed)
            suite.failed.append(check.name)
            if suite.cause and not exc.folds and not check.independent:
                raise CheckFailed(f"same cause as above ({suite.cause})", hint="") from None
            if check.catch_all and earlier:
                raise CheckFailed(f"differs from the reference computation; same cause as above ({earlier[0]})",
                                  hint="") from None
            if exc.folds and suite.cause is None:
                suite.cause = check.name
            raise
        except LearnerError as exc:
            suite.failed.append(check.name)
            failed = input_error(exc)
            if failed is not None and check.name == "input_untouched":
                raise failed from None
            where = error_where(exc)
            key = f"{where} {error_type(exc)}" if where else str(exc)
            first = suite.errors.setdefault(key, check.name)
            if failed is not None and "input_untouched" in suite.failed[:-1]:
                first = "input_untouched"  # the in-place write into x, already named
            if first != check.name or (suite.cause and failed is not None):
                folded = LearnerError(f"same cause as above ({suite.cause or first})", kind=exc.kind)
                folded.hint = ""  # type: ignore[attr-defined]
                raise folded from None
            exc.hint = hint_for_error(exc)  # type: ignore[attr-defined]
            raise
        except WorkerStopped:
            raise
        except (RuntimeError, ValueError, IndexError, KeyError, TypeError, ZeroDivisionError) as exc:
            # The module answered in a way this check's own computation cannot use (a shape or a dtype it
            # never expected): the module's failure, not the grader's.
            suite.failed.append(check.name)
            raise CheckFailed(f"the module's answers could not be compared with the contract ({type(exc).__name__}: "
                              f"{str(exc)[:200]})") from None
    return Check(name=check.name, title=check.title, hint=check.hint, fn=run, independent=check.independent)


def load_suite(directory: Path) -> Suite:
    """The checks of the exercise in `directory`, in order, each wrapped for folding."""
    contract = Contract.load(directory / "exercise.yaml")
    registry = Registry()
    _register_first(registry, contract)
    checklib._current = registry
    try:
        spec = importlib.util.spec_from_file_location(f"attnquiz_checks_{directory.name}", directory / "checks.py")
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    finally:
        checklib._current = None
    _register_last(registry, contract)
    suite = Suite(contract=contract, checks=[])
    suite.checks = [_wrap(suite, c) for c in registry.checks]
    return suite


def _register_first(registry: Registry, c: Contract) -> None:
    check = registry.check
    names = ", ".join(c.positional)
    how = f"{names} passed by position, the rest by keyword" if names else "every argument passed by keyword"

    @check("builds with the contract's arguments",
           hint=f"{c.signature}: {how}")
    def builds(ctx: Ctx) -> str | None:
        for call in c.builds:
            try:
                make(ctx, call)
            except LearnerError as exc:
                if error_type(exc) == "TypeError" and error_where(exc) is None:
                    raise StopGrade("constructor-mismatch",
                                    f"{c.show(call)} does not fit your constructor ({exc}); the contract is "
                                    f"{c.signature} ({how})") from None
                raise StopGrade("init-error", f"{c.show(call)} raised an error: {exc}",
                                hint=hint_for_error(exc)) from None
        return None

    what = {"map": "the attention map, shaped", "features": "the rescaled features, shaped like x"}
    @check(f"returns {what.get(c.returns, 'its output, shaped like x')} ({', '.join(c.output)})",
           hint=c.hints.get("shape", "print the shapes at each step of forward"))
    def output_shape(ctx: Ctx) -> str | None:
        for call, shape in c.shapes:
            x = randn(*shape)
            module = make(ctx, call)
            out = ctx.run(module, x)
            want = c.expected_shape(shape)
            try:
                expect_shape(out, want, x, c.returns, where=ctx.last_return)
            except CheckFailed as exc:
                if exc.folds or out.dim() != len(want) or out.shape[2:] == want[2:]:
                    raise
                raise CheckFailed(f"{exc}{padding_lines(module)}", hint="padding = kernel_size // 2 keeps H and W "
                                  "for an odd kernel") from None
        return None

    if c.params:
        rule = c.params

        @check(f"has {rule['rule']} parameters", hint=rule.get("hint", ""), independent=True)
        def parameter_count(ctx: Ctx) -> str | None:
            return _parameter_count(ctx, c, rule)


def _parameter_count(ctx: Ctx, c: Contract, rule: dict[str, Any]) -> str | None:
    notes: list[str] = []
    counts: list[tuple[Call, int]] = []
    for case in rule["cases"]:
        call = as_call(case)
        names = c.bind(call)
        for key, expression in rule.get("let", {}).items():
            names[key] = c.evaluate(expression, names)
        want = int(c.evaluate(rule["count"], names))
        extras = {k: int(c.evaluate(v, names)) for k, v in rule.get("extras", {}).items()}
        n = make(ctx, call).parameter_count()
        counts.append((call, n))
        found = count_explained(n, want, extras)
        if found is not None:
            if found:
                notes.append(f"{c.show(call)}: {n} parameters = {rule['rule']} ({want}) + {' + '.join(found)}; "
                             "allowed")
            continue
        for mistake in rule.get("mistakes", []):
            wrong = dict(names)
            for key, expression in mistake.get("let", {}).items():
                wrong[key] = c.evaluate(expression, wrong)
            if "when" in mistake and not c.evaluate(mistake["when"], wrong):
                continue
            bad = int(c.evaluate(mistake.get("count", rule["count"]), wrong))
            bad_extras = {k: int(c.evaluate(v, wrong)) for k, v in rule.get("extras", {}).items()}
            if count_explained(n, bad, bad_extras if mistake.get("extras", True) else {}) is not None:
                raise CheckFailed(f"{c.show(call)} has {n} parameters: " + mistake["says"].format(**wrong),
                                  hint=mistake.get("hint"))
        same = [other for other, m in counts[:-1] if m == n and other != call]
        ignored = ""
        if same:
            changed = [k for k, v in c.bind(call).items() if c.bind(same[0]).get(k) != v]
            ignored = (f", the same as {c.show(same[0])}: is `{'`, `'.join(changed)}` used?" if changed else "")
        lead = f"{c.show(call)} has {n} parameters{ignored}" + (" Expected" if ignored else "; expected")
        allowed = ", ".join(f"{k} (+{v})" for k, v in extras.items())
        raise CheckFailed(f"{lead} {rule['rule']} = {want}"
                          + (f" (allowed extras: {allowed})" if allowed else ""))
    return notes[0] if notes else None


def _register_last(registry: Registry, c: Contract) -> None:
    check = registry.check
    call, shape = c.probe

    @check("does not modify its input", hint=c.hints.get("inplace", "no in-place ops on x (x.mul_, x *= ...)"))
    def input_untouched(ctx: Ctx) -> str | None:
        m = drawn(make(ctx, call))
        ctx.run(m, randn(*shape))
        if getattr(ctx, "input_changed", False):
            raise CheckFailed(f"forward changed its input x in place{_at(ctx)}; the caller's tensor must not change")
        ctx.grads(m, randn(*shape))  # autograd refuses in-place writes into an input that needs gradients
        return None

    @check("gradients reach every parameter", hint="no .detach(), .data or torch.no_grad() inside forward")
    def gradients(ctx: Ctx) -> str | None:
        module = make(ctx, call)
        dead: set[str] | None = None
        for seed in (1, 2, 3):
            grads = ctx.grads(drawn(module, seed), randn(*shape, seed=seed))
            missing = {n for n, g in grads.params.items() if g is None or not bool(torch.any(g != 0))}
            dead = missing if dead is None else dead & missing
        if dead:
            names = sorted(dead)
            raise CheckFailed(f"no gradient reaches {', '.join(names)}{checklib.param_where(module, names)}: a "
                              "parameter is unused, or the output is detached from it (.detach(), .data, "
                              "torch.no_grad(), or an in-place overwrite)")
        return None

    @check("is deterministic", hint="no randomness (dropout, torch.rand) in forward")
    def deterministic(ctx: Ctx) -> str | None:
        m, x = drawn(make(ctx, call)), randn(*shape)
        expect_close(ctx.run(m, x), ctx.run(m, x), "two calls on the same input gave different outputs", atol=0)
        return None

    @check("works in float64", hint="no hard-coded dtype or .float() in forward")
    def float64(ctx: Ctx) -> str | None:
        m = drawn(make(ctx, call))
        m.double()
        out = ctx.run(m, randn(*shape, dtype=torch.float64))
        if out.dtype != torch.float64:
            raise CheckFailed(f"with a float64 module and input the output is {out.dtype}{_at(ctx)}; avoid "
                              "hard-coded dtypes (torch.zeros(..., dtype=torch.float32)) and .float() calls")
        return None

    @check("each sample is independent of the rest of the batch",
           hint=c.hints.get("batch", "pool over the right dimensions, never dim 0"))
    def batch_independent(ctx: Ctx) -> str | None:
        m, x = drawn(make(ctx, call)), randn(3, *shape[1:])
        together = ctx.run(m, x)
        apart = torch.cat([ctx.run(m, x[i:i + 1]) for i in range(x.shape[0])])
        expect_close(together, apart, "in eval() each sample's output depends on the others in the batch")
        return None


def _at(ctx: Ctx) -> str:
    return f" ({ctx.last_return})" if ctx.last_return else ""


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # pass, fail, error, or the verdict that stopped the grade
    message: str
    hint: str


def run_local(path: Path, directory: Path, class_name: str) -> list[Outcome]:
    """Grade TRUSTED code with the worker's server in this process (the corpus, reference solutions)."""
    ctx = Ctx(LocalConnection(path))
    source = path.read_bytes()
    ctx.call("load", source=torch.frombuffer(bytearray(source), dtype=torch.uint8), class_name=class_name,
             filename=str(path.resolve()))
    suite = load_suite(directory)
    outcomes = []
    for check in suite.checks:
        try:
            note = check.fn(ctx)
            outcomes.append(Outcome(check.name, "pass", note or "", ""))
        except StopGrade as stop:
            outcomes.append(Outcome(check.name, stop.verdict, stop.message, stop.hint))
            break
        except CheckFailed as exc:
            outcomes.append(Outcome(check.name, "fail", str(exc), exc.hint if exc.hint is not None else check.hint))
        except LearnerError as exc:
            outcomes.append(Outcome(check.name, "error", str(exc), getattr(exc, "hint", "")))
    return outcomes
