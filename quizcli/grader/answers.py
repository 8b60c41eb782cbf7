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
        import importlib.util
        import tempfile
        from pathlib import Path

        from quizcli.grader.exercises import SubmissionUnreadable, class_names, find_exercise, load_exercises
        from quizcli.grader.runner import Limits, Zygote, grade

        try:
            exercise = find_exercise(exercise_name, load_exercises())
        except UsageError:
            return None
        with tempfile.TemporaryDirectory(prefix="attnquiz-answer-") as folder:
            path = Path(folder) / f"{exercise.name.replace('-', '_')}.py"
            path.write_text(text, encoding="utf-8")
            try:
                if exercise.class_name not in class_names(path):
                    return None
            except SubmissionUnreadable:  # not Python: prose, left to the key points
                return None
            if importlib.util.find_spec("torch") is None:
                raise UsageError("grading code needs PyTorch: pip install 'attnquiz[grade]'")
            if self.zygote is None:
                self.zygote = Zygote()
                self.zygote.launch()
            return grade(path, exercise, Limits(), self.zygote, on_event)
