"""The lessons as files: committed without outputs, each with the outline a learner expects."""

import json
import pathlib

import pytest

LESSONS = sorted((pathlib.Path(__file__).parent.parent / "lessons").glob("*.ipynb"))


def test_there_are_lessons():
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "run `make strip` before committing"
    assert "widgets" not in nb["metadata"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_outline(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "**Time:**" in text and "After this lesson you can" in text
    assert "## Summary" in text and "## Exercises" in text
    assert "<details><summary>" in text  # hidden solutions
    assert "Exercise(" in code  # exercises with instant feedback
    assert "assert " in code  # theory checks run as assertions
    assert "import nmteach" in code and "os.chdir" not in code and "sys.path" not in code
