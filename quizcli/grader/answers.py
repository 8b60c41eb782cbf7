"""Code answers in a study session: the module a learner writes as a card's answer, graded against the
card's exercise. Imported by study and drill, so it loads the grader only when there is code to grade."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizcli.errors import UsageError

if TYPE_CHECKING:
    from quizcli.grader.result import GradeResult
    from quizcli.grader.runner import Zygote


class CodeAnswers:
    """Grades the code a learner writes as a card's answer (Q10's module, in the editor) against the card's
    exercise, with one zygote for the whole session, started at the first code answer."""

    def __init__(self) -> None:
        self.zygote: Zygote | None = None

    def __enter__(self) -> CodeAnswers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.zygote is not None:
            self.zygote.close()

    def grade(self, exercise_name: str, text: str,
              on_event: Callable[[dict[str, Any]], None] | None = None) -> GradeResult | None:
        """The grade of `text`, or None when it is not code for the exercise (prose, or no such class)."""
        import ast
        import importlib.util
        import tempfile
        from pathlib import Path

        from quizcli.grader.exercises import load_exercises
        from quizcli.grader.runner import Limits, Zygote, grade

        exercise = next((e for e in load_exercises() if e.name == exercise_name), None)
        if exercise is None:
            return None
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return None
        if not any(isinstance(node, ast.ClassDef) and node.name == exercise.class_name for node in tree.body):
            return None
        if importlib.util.find_spec("torch") is None:
            raise UsageError("grading code needs PyTorch: pip install 'attnquiz[grade]'")
        if self.zygote is None:
            self.zygote = Zygote()
            self.zygote.launch()
        with tempfile.TemporaryDirectory(prefix="attnquiz-answer-") as folder:
            path = Path(folder) / f"{exercise.name.replace('-', '_')}.py"
            path.write_text(text, encoding="utf-8")
            return grade(path, exercise, Limits(), self.zygote, on_event)
