"""The lessons as files: committed without outputs, each with the outline a learner expects."""

import json
import pathlib
import re

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
    assert re.search(r"^Exercises\(\"\d\d\"\)", code, flags=re.M)  # exercises with instant feedback
    assert "assert " in code  # theory checks run as assertions
    assert "import nmteach" in code and "os.chdir" not in code and "sys.path" not in code


def _header_minutes(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "".join(nb["cells"][0]["source"]) + "".join(nb["cells"][1]["source"])
    match = re.search(r"\*\*Time:\*\* about (\d+) minutes", text)
    assert match, f"{path.name}: no '**Time:** about N minutes' in the first two cells"
    return int(match.group(1))


def test_readme_lists_every_lesson_with_its_time():
    """The README's table of lessons names every lesson once, with the time its header states."""
    readme = (LESSONS[0].parent.parent / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| \[[^]]+\]\(lessons/([\w]+\.ipynb)\) \|.*\| (\d+) min \|", readme, flags=re.M))
    assert sorted(rows) == [p.name for p in LESSONS]
    for path in LESSONS:
        assert int(rows[path.name]) == _header_minutes(path), path.name
    total = sum(_header_minutes(p) for p in LESSONS)
    hours = re.search(r"about (\d+)(½?) hours in all", readme)
    assert hours and abs(int(hours.group(1)) + 0.5 * bool(hours.group(2)) - total / 60) <= 0.25


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_prose_hidden_in_code_cells(path):
    """A section heading or a displayed equation written as comments in a code cell is text the learner reads as
    code (a lost markdown cell)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            lost = [ln for ln in "".join(cell["source"]).splitlines() if re.match(r"# (#+ |\$\$)", ln)]
            assert not lost, f"cell {cell.get('id')}: prose in a code cell: {lost[:2]}"
