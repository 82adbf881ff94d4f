"""Every lesson as a Voilà page (the server-extension route a Binder link uses, with the nmteach-offline template the
package installs): render, check widths and equations, move controls, try every preset; no request may leave
the machine."""

import time

import pytest
from browser_helpers import LESSONS, VOILA_DONE_JS, VOILA_PROGRESS_JS, check_lesson, outside_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_in_voila(lesson, jupyter, lesson_page, results, request):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page, log = lesson_page
    offset = jupyter.log_size()
    t0 = time.monotonic()
    page.goto(jupyter.voila_url(lesson.name), wait_until="commit")
    try:
        # Voilà shows "Executing k of n" until the notebook has run, then removes #loading
        page.wait_for_function(VOILA_DONE_JS, timeout=120_000, polling=250)
    except PlaywrightTimeout:
        pytest.fail(f"Voilà did not finish in 120 s; the page still says: {page.evaluate(VOILA_PROGRESS_JS)!r}")
    ran = time.monotonic() - t0

    problems = check_lesson(page, log, lesson, "voila", results, lambda: jupyter.log_since(offset))
    problems += outside_problems(results.outside.get(request.node.name, []))
    results.timings.append(
        f"  voila {lesson.stem:<28} page executed {ran:5.1f} s · whole test {time.monotonic() - t0:5.1f} s"
    )
    if problems:
        pytest.fail(f"{lesson.name} in Voilà:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)
