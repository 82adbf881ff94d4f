"""Fixtures of the real-browser tests: Chromium (through Playwright), one JupyterLab server, the results table.

Chromium is expected at /usr/bin/chromium (``apt-get install chromium``); ``NMTEACH_CHROMIUM`` points elsewhere.
Without it the tests skip, unless ``NMTEACH_REQUIRE_BROWSER=1`` (set by .ci/run), which makes them fail.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# the test modules import browser_helpers by name, whatever pytest's --import-mode
sys.path.insert(0, str(Path(__file__).parent))

from browser_helpers import (
    ARTIFACTS,
    CHROMIUM_FLAGS,
    DEFAULT_CHROMIUM,
    LESSONS_DIR,
    VIEWPORT,
    JupyterServer,
    PageLog,
    is_outside,
    latency_table,
    snapshot,
)

CHROMIUM = os.environ.get("NMTEACH_CHROMIUM", DEFAULT_CHROMIUM)
REQUIRED = os.environ.get("NMTEACH_REQUIRE_BROWSER", "") not in {"", "0"}


@dataclass
class Results:
    """Everything the session summary prints."""

    latency: list[dict] = field(default_factory=list)  # lesson, app, env, kind (control/preset), control, latency_ms
    outside: dict[str, list[str]] = field(default_factory=dict)  # page label -> aborted requests
    timings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)  # every control move, preset, reset and typed state, for latency.txt
    layout: list[str] = field(default_factory=list)  # output-area widths at each window width
    current: str = "browser start"

    def record_outside(self, url: str) -> None:
        self.outside.setdefault(self.current, []).append(url)


RESULTS = pytest.StashKey[Results]()
RELEASE = pytest.StashKey[list]()  # how to stop the browser and the server, newest first
LAST_TEST = pytest.StashKey[str]()  # node id of the last browser test of the session
HERE = Path(__file__).parent


def _release(config) -> None:
    """Stop the browser and the Jupyter server (once; after the last browser test, not at the end of `make test`)."""
    steps = config.stash.get(RELEASE, [])
    while steps:
        steps.pop()()


@pytest.hookimpl(trylast=True)  # after -m/-k have deselected
def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if HERE in item.path.parents]
    if mine:
        config.stash[LAST_TEST] = mine[-1].nodeid


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if item.config.stash.get(LAST_TEST, None) == item.nodeid:
        _release(item.config)
    return result


def _missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM}"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def results(request) -> Results:
    return request.config.stash.setdefault(RESULTS, Results())


@pytest.fixture(scope="session")
def chromium() -> str:
    missing = _missing()
    if missing is not None:
        fix = "install it with apt-get install chromium" if "Chromium" in missing else "pip install playwright"
        if REQUIRED:
            pytest.fail(f"{missing}: browser tests cannot run and NMTEACH_REQUIRE_BROWSER=1; {fix}", pytrace=False)
        pytest.skip(f"{missing}: browser tests skipped; {fix}")
    return CHROMIUM


@pytest.fixture(scope="session", autouse=True)
def repository_untouched():
    """The browser runs work on a temporary copy: the lesson files in the repository must not change.

    Every file there before the run must be byte-identical after it, and Jupyter must not have created
    anything there (checkpoints, autosaved copies). New lessons a colleague adds meanwhile are not ours.
    """
    before = snapshot(LESSONS_DIR)
    yield
    after = snapshot(LESSONS_DIR)
    changed = sorted(name for name in before if before[name] != after.get(name))
    created = sorted(name for name in after.keys() - before.keys() if not name.endswith(".ipynb") or "/" in name)
    assert not changed and not created, (
        f"files in {LESSONS_DIR} changed during the browser tests: changed {changed}, created {created}"
    )


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory, results, request):
    """One Chromium for the session; every request to a host other than this machine is aborted and recorded."""
    from playwright.sync_api import sync_playwright

    def abort(route):
        results.record_outside(route.request.url)
        route.abort()

    release = request.config.stash.setdefault(RELEASE, [])
    playwright = sync_playwright().start()
    release.append(playwright.stop)
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=chromium,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport=VIEWPORT,
        service_workers="block",  # so that every request goes through the route below
    )
    release.append(context.close)
    context.set_default_timeout(30_000)
    context.route(is_outside, abort)
    yield context
    _release(request.config)


@pytest.fixture(scope="session")
def jupyter(chromium, tmp_path_factory, request):
    """JupyterLab (and Voilà as its server extension) on a temporary copy of the lessons."""
    server = JupyterServer(base=tmp_path_factory.mktemp("jupyter"), token=secrets.token_hex(16))
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # screenshots of this run only

    def stop() -> None:
        server.stop()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if server.log_path.exists():
            shutil.copy(server.log_path, ARTIFACTS / "jupyter-server.log")

    request.config.stash.setdefault(RELEASE, []).append(stop)
    server.start(LESSONS_DIR)
    yield server
    _release(request.config)


@pytest.fixture
def lesson_page(browser, jupyter, results, request):
    """A fresh tab, its console/kernel/network log, and afterwards no kernel left running."""
    page = browser.new_page()
    log = PageLog()
    log.attach(page)
    results.current = request.node.name
    try:
        yield page, log
    finally:
        page.close()
        jupyter.shutdown_kernels()
        results.current = "between tests"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    res = config.stash.get(RESULTS, None)
    if res is None or not (res.latency or res.timings or res.outside):
        return
    text = [
        "latency to the changed ipympl canvas (informative, not asserted): control moves (a key press on a slider,"
        " a dropdown choice) and presets (choice in the preset menu)"
    ]
    text.append(latency_table(res.latency) if res.latency else "no latency measured")
    if res.timings:
        text += ["", "timings", *res.timings]
    if res.layout:
        text += ["", "layout (widths of the output areas with an app or a figure)", *res.layout]
    text += ["", "requests to outside hosts (all aborted, each one a failure)"]
    for label, urls in res.outside.items():
        text += [
            f"  {label}: {url[:150]}" + (f" (×{urls.count(url)})" if urls.count(url) > 1 else "")
            for url in dict.fromkeys(urls)
        ]
    if not res.outside:
        text.append("  none")
    if res.notes:
        text += ["", "notes", *res.notes]
    text += ["", f"screenshots, latency.txt (with every control move and preset) and the server log: {ARTIFACTS}"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "latency.txt").write_text(
        "\n".join([*text, "", "control moves, presets, reset, typed states", *res.moves]) + "\n", encoding="utf-8"
    )
    terminalreporter.section("browser tests")
    for line in text:
        terminalreporter.write_line(line)
