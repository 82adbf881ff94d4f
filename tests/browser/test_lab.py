"""Every lesson in JupyterLab in a real Chromium, the file browser open (a fresh workspace's layout): run all cells,
check outputs, widgets, widths and equations, move every control, try every preset."""

import time

import pytest
from browser_helpers import (
    LAB_CELLS_JS,
    LAB_DONE_JS,
    LAB_FILE_BROWSER_JS,
    LAB_PROGRESS_JS,
    LAB_READY_JS,
    LAB_RUN_ALL_JS,
    LESSONS,
    check_lesson,
    outside_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_in_jupyterlab(lesson, jupyter, lesson_page, results, request):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page, log = lesson_page
    offset = jupyter.log_size()
    t0 = time.monotonic()
    page.goto(jupyter.lab_url(lesson.name))
    page.wait_for_function(LAB_READY_JS, timeout=60_000, polling=200)
    opened = time.monotonic() - t0
    page.evaluate(LAB_RUN_ALL_JS)
    try:
        page.wait_for_function(LAB_DONE_JS, timeout=120_000, polling=250)
    except PlaywrightTimeout:
        pytest.fail(f"Run All did not finish in 120 s: {page.evaluate(LAB_PROGRESS_JS)}")
    ran = time.monotonic() - t0 - opened

    problems = page.evaluate(LAB_CELLS_JS)
    if not page.evaluate(LAB_FILE_BROWSER_JS):
        problems.append(
            "the file browser is not open in a fresh workspace: the checks would not see the default layout"
        )
    problems += check_lesson(page, log, lesson, "lab", results, lambda: jupyter.log_since(offset))
    problems += outside_problems(results.outside.get(request.node.name, []))
    results.timings.append(
        f"  lab   {lesson.stem:<28} open + idle kernel {opened:5.1f} s · run all {ran:5.1f} s · "
        f"whole test {time.monotonic() - t0:5.1f} s"
    )
    if problems:
        pytest.fail(f"{lesson.name} in JupyterLab:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)


def test_widget_messages_go_to_the_main_shell(jupyter):
    """With comms over subshells (JupyterLab's default since 4.4), ipykernel >= 7 serves widget messages on other
    threads while a cell runs; matplotlib is not thread-safe, and ipympl canvases then render blank or broken.
    nmteach ships a JupyterLab default that keeps widget messages on the main shell: the server must serve it."""
    import json
    import urllib.request

    plugin = "@jupyterlab/apputils-extension:kernels-settings"
    with urllib.request.urlopen(f"{jupyter.url}/lab/api/settings/{plugin}?token={jupyter.token}", timeout=30) as r:
        settings = json.load(r)
    # the shipped default replaces the schema's, and no user setting overrides it
    assert settings["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled", settings["schema"]
    assert settings["settings"].get("commsOverSubshells", "disabled") == "disabled", settings["settings"]
