import pytest

from nmteach.apps import Exercises
from nmteach.apps.exercises import ChoiceExercise, NumericExercise
from nmteach.experiments.exercises import LESSONS


def test_numeric_exercise_feedback():
    ex = NumericExercise("q?", answer=2.0, unit="nA", rtol=0.01, hint="think")
    assert not ex.check(1.0) and "too low" in ex.feedback.value
    assert not ex.check(3.0) and "too high" in ex.feedback.value and "think" in ex.feedback.value
    assert not ex.check("abc") and "number" in ex.feedback.value
    assert ex.check(2.01) and "Correct" in ex.feedback.value
    ex.box.value = 2.0
    ex.button.click()
    assert "Correct" in ex.feedback.value


def test_choice_exercise_feedback():
    ex = ChoiceExercise("q?", ["a", "b"], answer="b", explanation="because", hint="h")
    assert not ex.check(None)
    assert not ex.check("a") and "h" in ex.feedback.value
    assert ex.check("b") and "because" in ex.feedback.value


def test_exercise_errors():
    with pytest.raises(ValueError, match="answer = 'c' must be one of the options"):
        ChoiceExercise("q?", ["a", "b"], answer="c")
    with pytest.raises(ValueError, match="answer = nan must be a finite number"):
        NumericExercise("q?", answer=float("nan"))


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_lesson_exercise_accepts_its_answer_and_refuses_another(lesson):
    exercises = Exercises(lesson)
    assert len(exercises) >= 3
    for ex in exercises.items:
        if isinstance(ex, NumericExercise):
            assert ex.check(ex.answer) and not ex.check(ex.answer * 1.5 + 1)
        else:
            wrong = next(o for o in ex.box.options if o != ex.answer)
            assert ex.check(ex.answer) and not ex.check(wrong)
