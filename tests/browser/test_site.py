"""The course website (make site): built offline, every page opened in Chromium with every request that leaves
this machine aborted. No console error, every lesson page shows its figures and typeset equations, every internal
link resolves, and the API reference lists every public name."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

import nmteach as nm

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


#: the website is built with its own environment (make test points here to .venv-site; see requirements-site.txt)
SITE_PYTHON = os.environ.get("NMTEACH_SITE_PYTHON", sys.executable)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if subprocess.run([SITE_PYTHON, "-c", "import sphinx, myst_nb"], capture_output=True).returncode:
        pytest.skip(f"{SITE_PYTHON} has no Sphinx and myst-nb: make test builds .venv-site for the website")
    out = tmp_path_factory.mktemp("site") / "html"
    subprocess.run([SITE_PYTHON, str(ROOT / "tools" / "build_site.py"), "--out", str(out)], check=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def open_page(browser, results, url, label):
    results.current = f"site {label}"
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, errors


def internal_links(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        target = urljoin(base, href)
        if urlsplit(target).netloc == urlsplit(base).netloc:
            yield href, urlsplit(target).path


@pytest.mark.parametrize("name", ["index", "api", *LESSONS])
def test_site_page(site, browser, results, name):
    out, base = site
    page_url = urljoin(base, f"{name}.html")
    assert (out / f"{name}.html").is_file(), f"{name}.html was not built"
    page, errors = open_page(browser, results, page_url, name)
    try:
        if name in LESSONS:
            images = page.eval_on_selector_all(
                "div.cell_output img", "els => els.map(e => [e.complete, e.naturalWidth])"
            )
            assert images, f"{name}: no figure on the page"
            assert all(done and width > 0 for done, width in images), f"{name}: a figure did not load"
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("() => MathJax.startup.promise")
            assert page.locator("mjx-container").count() > 0, f"{name}: no typeset equation"
            # the prose (not the code cells): no LaTeX left untypeset
            raw = page.evaluate(
                """() => { const body = document.querySelector('.body').cloneNode(true);
                body.querySelectorAll('.cell_input, pre, mjx-container').forEach(e => e.remove());
                return body.innerText; }"""
            )
            assert "\\frac" not in raw and "$$" not in raw, f"{name}: an equation shows as raw LaTeX"
        if name == "api":
            text = page.inner_text("body")
            missing = [n for n in nm.__all__ if n not in text]
            assert not missing, f"the API reference lacks {missing}"
        broken = []
        for href, path in internal_links(page, page_url):
            file = out / path.lstrip("/")
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append(href)
        assert not broken, f"{name}: links that resolve to nothing: {broken}"
        assert not errors, f"{name}: console errors {errors}"
        assert not results.outside.get(f"site {name}"), f"{name}: requests left the machine"
    finally:
        page.close()
