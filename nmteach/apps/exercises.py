"""Exercises with instant feedback: a question, an answer box and a Check button.

A lesson shows its exercises with ``Exercises("01")``: the questions and their answers are defined
in :mod:`nmteach.experiments.exercises`, so the notebook shows no answer before the learner tries.

>>> ex = NumericExercise("Rheobase of the default neuron?", answer=0.15, unit="nA")
>>> ex.check(0.15)
True
>>> ex.check(0.3)
False
>>> "too high" in ex.feedback.value
True
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from ..experiments.exercises import Choice, Numeric, lesson_exercises
from ._base import static_page

__all__ = ["ChoiceExercise", "Exercises", "NumericExercise"]

_OK = "#009E73"  # Okabe–Ito green
_NO = "#D55E00"  # Okabe–Ito vermillion


class _Exercise:
    def __init__(self, question: str, hint: str = ""):
        self.question = question
        self.hint = hint
        self.feedback = widgets.HTML(layout=widgets.Layout(min_height="1.8em"))
        self.button = widgets.Button(description="Check", button_style="info", tooltip="Check your answer")
        self.button.on_click(lambda _: self.check(self.box.value))
        self.attempts = 0

    def _show(self, ok: bool, text: str) -> bool:
        colour, mark = (_OK, "✓ Correct.") if ok else (_NO, "✗ Not yet.")
        self.feedback.value = f"<span style='color:{colour}'><b>{mark}</b> {html.escape(text)}</span>"
        return ok

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def widget(self):
        return widgets.VBox(
            [widgets.HTML(f"<b>Exercise.</b> {self.question}"), widgets.HBox([self.box, self.button]), self.feedback]
        )


class NumericExercise(_Exercise):
    """A question with a numerical answer, accepted within ``rtol`` (relative) or ``atol``."""

    def __init__(
        self, question: str, answer: float, *, unit: str = "", rtol: float = 0.02, atol: float = 0.0, hint: str = ""
    ):
        super().__init__(question, hint)
        if not math.isfinite(answer):
            raise ValueError(f"answer = {answer} must be a finite number")
        self.answer = float(answer)
        self.unit = unit
        self.rtol = rtol
        self.atol = atol
        self.box = widgets.FloatText(
            value=0.0, description=f"answer ({unit})" if unit else "answer", style={"description_width": "initial"}
        )

    def check(self, value) -> bool:
        """Compare ``value`` with the answer and show the verdict; returns whether it was right."""
        self.attempts += 1
        try:
            x = float(value)
        except (TypeError, ValueError):
            return self._show(False, "Please enter a number.")
        if math.isclose(x, self.answer, rel_tol=self.rtol, abs_tol=self.atol):
            return self._show(True, f"The answer is {self.answer:.4g} {self.unit}".rstrip() + ".")
        direction = "too high" if x > self.answer else "too low"
        text = f"Your value is {direction}."
        if self.hint and self.attempts >= 2:
            text += f" Hint: {self.hint}"
        return self._show(False, text)


class ChoiceExercise(_Exercise):
    """A multiple-choice question."""

    def __init__(self, question: str, options, answer, *, explanation: str = "", hint: str = ""):
        super().__init__(question, hint)
        options = list(options)
        if answer not in options:
            raise ValueError(f"answer = {answer!r} must be one of the options {options}")
        self.answer = answer
        self.explanation = explanation
        self.box = widgets.Dropdown(options=options, value=None, description="answer")

    def check(self, value) -> bool:
        self.attempts += 1
        if value == self.answer:
            return self._show(True, self.explanation)
        text = "Choose again." if value is None else f"'{value}' is not it."
        if self.hint and self.attempts >= 2:
            text += f" Hint: {self.hint}"
        return self._show(False, text)


class Exercises:
    """The exercises of one lesson, numbered, each with its answer box, Check button and feedback."""

    def __init__(self, lesson: str):
        self.lesson = lesson
        self.items = [_build(spec) for spec in lesson_exercises(lesson)]
        title = widgets.HTML(
            f"<b>{len(self.items)} exercises</b> · type an answer, press Check; hints come on a second try"
        )
        self.widget = widgets.VBox([title, *(ex.widget for ex in self.items)])

    def __getitem__(self, i: int):
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def _ipython_display_(self):
        from IPython.display import HTML, display

        if not static_page():
            display(self.widget)
            return
        items = "".join(f"<li>{ex.question}</li>" for ex in self.items)
        display(
            HTML(
                f"<p><b>{len(self.items)} exercises</b> (answer them in the notebook, with instant "
                f"feedback):</p><ol style='list-style: none'>{items}</ol>"
            )
        )


def _build(spec):
    if isinstance(spec, Numeric):
        return NumericExercise(
            f"{spec.key} · {spec.question}",
            spec.value(),
            unit=spec.unit,
            rtol=spec.rtol,
            atol=spec.atol,
            hint=spec.hint,
        )
    if isinstance(spec, Choice):
        return ChoiceExercise(
            f"{spec.key} · {spec.question}", spec.options, spec.value(), explanation=spec.explanation, hint=spec.hint
        )
    raise TypeError(f"{spec!r} is not an exercise")
