"""Shared machinery of the real-browser tests: the Jupyter server, the page checks and the slider probe.

Playwright is imported only where a browser is started (in ``conftest.py``), so this module imports
without it; the conftest skips the tests when Chromium or Playwright is missing.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
LESSONS_DIR = REPO / "lessons"
LESSONS = sorted(LESSONS_DIR.glob("*.ipynb"))
ARTIFACTS = REPO / "artifacts" / "browser"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
LATENCY_TARGET_MS = 300.0
# sliders moved per app: all of them in JupyterLab; in Voilà the first two (the run time budget is 5 minutes)
SLIDERS_PER_APP = {"lab": None, "voila": 2}

# Voilà 0.5 pulls FontAwesome and MathJax from CDNs; known, recorded and printed, not a failure.
KNOWN_CDN = re.compile(
    r"^https://(cdn\.jsdelivr\.net/npm/@fortawesome/|cdnjs\.cloudflare\.com/ajax/libs/mathjax/)",
)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def is_outside(url: str) -> bool:
    """True for a request that would leave this machine (``data:`` and ``blob:`` URLs stay local)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "devtools"}:
        return False
    return parts.hostname not in LOCAL_HOSTS


def expected_apps(notebook: Path) -> list[str]:
    """Names of the nmteach apps a lesson shows, in order.

    An app is shown by a code cell whose last statement is ``SomeApp(...)`` or a variable holding one
    (``bump = BumpApp()`` then ``bump``), or by ``display(...)`` of either; an app built only for a
    computation (``app = SpreadApp(); app.simulate(...)``) shows nothing.
    """
    from nmteach.apps import ALL_APPS

    names = {app.__name__ for app in ALL_APPS}
    variables: dict[str, str] = {}  # variable -> app class, across cells

    def app_name(node) -> str | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            return node.func.id
        if isinstance(node, ast.Name):
            return variables.get(node.id)
        return None

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    shown = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        try:
            tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines))
        except SyntaxError:  # IPython syntax beyond line magics: such a cell shows no app of ours
            continue
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                cls = app_name(stmt.value) if isinstance(stmt.value, ast.Call) else None
                if cls:
                    variables[stmt.targets[0].id] = cls
                else:
                    variables.pop(stmt.targets[0].id, None)
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "display":
                    shown += [n for n in map(app_name, node.args) if n]
        if tree.body and isinstance(tree.body[-1], ast.Expr) and app_name(tree.body[-1].value):
            shown.append(app_name(tree.body[-1].value))
    return shown


def slider_modes(app_name: str) -> dict[str, bool]:
    """``description → continuous_update`` of an app's sliders, read from its controls without running its model."""
    from nmteach import apps

    cls = getattr(apps, app_name, None)
    try:
        controls = cls.__new__(cls).make_controls()
    except Exception:  # an app whose controls need its state: the table just shows "?"
        return {}
    return {w.description: w.continuous_update for w in controls.values() if hasattr(w, "continuous_update")}


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes (to prove a run wrote nothing there)."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------------------------------------------
# the Jupyter server (JupyterLab, with Voilà as a server extension at /voila/render/<path>)


@dataclass
class JupyterServer:
    """A JupyterLab server on a temporary copy of the lessons, with every Jupyter directory temporary."""

    base: Path
    token: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def root(self) -> Path:
        return self.base / "root"

    @property
    def log_path(self) -> Path:
        return self.base / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, name: str) -> str:
        # ?reset: start from an empty workspace, so no tab of an earlier test is restored
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def voila_url(self, name: str) -> str:
        return f"{self.url}/voila/render/{name}?token={self.token}"

    def start(self, lessons: Path, timeout: float = 60.0) -> None:
        dirs = {name: self.base / name for name in ("config", "data", "runtime", "ipython", "settings", "workspaces")}
        for d in [*dirs.values(), self.base / "checkpoints"]:
            d.mkdir(parents=True, exist_ok=True)
        # the whole lessons folder (a matplotlibrc there styles the figures), never the repository itself
        shutil.copytree(lessons, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        settings = {
            # no autosave: nothing is written back, not even into the temporary copy
            "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
            # every cell stays in the DOM, so the whole notebook can be checked and photographed
            "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
            # no news or update checks (they would go to the internet)
            "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        }
        for plugin, values in settings.items():
            path = dirs["settings"] / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the lessons choose their backend (%matplotlib widget)
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTER_PLATFORM_DIRS="1",
            IPYTHONDIR=str(dirs["ipython"]),
        )
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={dirs['settings']}",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            f"--FileCheckpoints.checkpoint_dir={self.base / 'checkpoints'}",
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            "--VoilaConfiguration.show_tracebacks=True",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                cmd, cwd=self.base, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                self.api("GET", "/api/status")
                return
            time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel (a lesson page's, and Voilà's), so the next test has both cores."""
        for kernel in self.api("GET", "/api/kernels") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.api("POST", "/api/shutdown")  # also shuts down the kernels
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._kill_orphan_kernels()

    def _kill_orphan_kernels(self) -> None:
        """Kernels run in their own sessions; kill any still using this server's runtime directory."""
        runtime = f"{self.base / 'runtime'}/"
        for proc in Path("/proc").glob("[0-9]*"):
            with contextlib.suppress(OSError):
                if runtime in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    os.kill(int(proc.name), signal.SIGKILL)


def server_problems(log: str) -> list[str]:
    """Tracebacks the server or a kernel wrote to the server log."""
    return [m.group(0)[:1500] for m in re.finditer(r"Traceback \(most recent call last\):.*?(?=\n\[|\Z)", log, re.S)]


# ----------------------------------------------------------------------------------------------------------------
# what a page reports: console errors, kernel error messages, failed local requests


_WS_ERROR = re.compile(rb'"msg_type":\s*"error"')
_WS_FIELD = re.compile(rb'"(ename|evalue)":\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    kernel_errors: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)[:500]))
        page.on("requestfailed", self._on_request_failed)
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text[:500])

    def _on_request_failed(self, request) -> None:
        if not is_outside(request.url):
            self.failed_local.append(f"{request.url[:160]} ({request.failure})")

    def _on_frame(self, payload) -> None:
        # an iopub "error" message: an exception in a cell or in a widget callback (these reach no cell output)
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8", errors="replace")
        if _WS_ERROR.search(data):
            fields = {k.decode(): v.decode("unicode_escape", errors="replace") for k, v in _WS_FIELD.findall(data)}
            self.kernel_errors.append(f"{fields.get('ename', '?')}: {fields.get('evalue', '?')}")

    def problems(self) -> list[str]:
        # requests to outside hosts are aborted on purpose and reported separately
        console = [e for e in self.console_errors if "net::ERR_FAILED" not in e]
        return (
            [f"console error: {e}" for e in console]
            + [f"uncaught page error: {e}" for e in self.page_errors]
            + [f"kernel error message: {e}" for e in self.kernel_errors]
            + [f"failed local request: {e}" for e in self.failed_local]
        )


# ----------------------------------------------------------------------------------------------------------------
# checks run inside the page (the same for JupyterLab and Voilà)

WIDGETS_STATE_JS = """([selector, apps]) => {
  // done: every widget output has its view, every app is there, every ipympl canvas has a size
  const views = [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]')];
  const rendered = views.filter(v => v.querySelector('.jupyter-widgets')).length;
  const loading = document.body.innerText.includes('Loading widget...');
  const found = document.querySelectorAll(selector).length;
  const canvases = [...document.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')];
  const sized = canvases.filter(c => c.width > 0 && c.height > 0).length;
  const done = !loading && rendered === views.length && found >= apps && sized === canvases.length;
  return {done, signature: [views.length, rendered, loading, found, canvases.length, sized].join()};
}"""

PAGE_PROBLEMS_JS = """() => {
  const problems = [];
  const stderr = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
  for (const el of document.querySelectorAll(stderr)) {
    const text = el.innerText;
    if (text.includes('Traceback') || /^\\w*(Error|Exception)\\b/m.test(text)) problems.push('error output: ' + text.slice(0, 800));
  }
  const text = document.body.innerText;
  for (const phrase of ['Error displaying widget', 'Loading widget...', 'There was an error when executing cell']) {
    if (text.includes(phrase)) problems.push(`page shows "${phrase}"`);
  }
  const broken = document.querySelectorAll('.jupyter-widgets-error-widget').length;
  if (broken) problems.push(`${broken} widget(s) shown as .jupyter-widgets-error-widget`);
  const canvases = [...document.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')];
  canvases.forEach((c, i) => {
    if (!(c.width > 0 && c.height > 0)) { problems.push(`ipympl canvas ${i + 1} of ${canvases.length} is ${c.width}x${c.height}: figure not rendered`); return; }
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let uniform = true;
    for (let k = 4; k < px.length; k += 4) {
      if (px[k] !== px[0] || px[k + 1] !== px[1] || px[k + 2] !== px[2] || px[k + 3] !== px[3]) { uniform = false; break; }
    }
    if (uniform) problems.push(`ipympl canvas ${i + 1} of ${canvases.length} is blank`);
  });
  const stderrNotes = [...document.querySelectorAll(stderr)].map(el => el.innerText.trim()).filter(Boolean);
  return {problems, canvases: canvases.length, stderr: stderrNotes};
}"""

# the model-level view in JupyterLab: error outputs, and cells that did not run
LAB_CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const problems = [];
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    if (cell.model.executionCount === null) problems.push(`cell ${i + 1} did not run`);
    for (const o of cell.model.outputs.toJSON()) {
      if (o.output_type === 'error') problems.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
    }
  });
  return problems;
}"""

LAB_READY_JS = "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"

LAB_RUN_ALL_JS = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  await panel.revealed;
  // fire and forget: a long command must not be awaited inside evaluate (it has no timeout)
  window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""

LAB_DONE_JS = """() => {
  // done: the kernel is idle, no cell waits ([*]) and some cell ran. Run All stops at a cell that raises,
  // leaving the cells after it unrun: LAB_CELLS_JS reports those.
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel?.sessionContext?.session?.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  if ([...panel.node.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))) return false;
  return panel.content.widgets.some(c => c.model.type === 'code' && c.model.executionCount !== null);
}"""

LAB_PROGRESS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  const ran = code.filter(c => c.model.executionCount !== null).length;
  return `${ran} of ${code.length} code cells ran; kernel ${panel.sessionContext?.session?.kernel?.status}`;
}"""

VOILA_DONE_JS = "() => document.readyState === 'complete' && !document.querySelector('#loading')"
VOILA_PROGRESS_JS = "() => document.querySelector('#loading_text')?.innerText ?? 'no progress text'"

# grow the viewport to the height of the page's scrolling content, for a screenshot of the whole lesson
CONTENT_HEIGHT_JS = """() => {
  let extra = 0;
  for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) {
    if (!el) continue;
    const hidden = el.scrollHeight - el.clientHeight;
    if (hidden > extra && el.clientHeight > 200) {
      const style = getComputedStyle(el);
      if (el === document.scrollingElement || /(auto|scroll)/.test(style.overflowY)) extra = hidden;
    }
  }
  return window.innerHeight + extra;
}"""

APPS = ".widget-vbox:has(> .jupyter-matplotlib):has(.widget-slider)"

# instrument one ipympl canvas: time of the first draw after a key press that changes the picture
PROBE_INSTALL_JS = """canvas => {
  if (canvas.__probe) return;
  const ctx = canvas.getContext('2d');
  const draw = ctx.drawImage;
  const probe = canvas.__probe = {armed: false, base: null, t0: null, t1: null, lastDraw: 0};
  ctx.drawImage = function (...args) {
    const result = draw.apply(this, args);
    probe.lastDraw = performance.now();
    if (probe.armed && probe.t0 !== null && probe.t1 === null && canvas.toDataURL() !== probe.base) {
      probe.t1 = performance.now();
    }
    return result;
  };
}"""

PROBE_ARM_JS = """([canvas, status]) => {
  const probe = canvas.__probe;
  Object.assign(probe, {armed: true, base: canvas.toDataURL(), t0: null, t1: null, statusChanges: 0, lastStatus: 0});
  document.addEventListener('keydown', () => { probe.t0 = performance.now(); }, {capture: true, once: true});
  // the app writes "running…" then its summary into the status line: when that is done and no new
  // picture follows within 2 s, the figure did not change (no need to wait for the full timeout)
  probe.observer?.disconnect();
  probe.observer = new MutationObserver(() => { probe.statusChanges += 1; probe.lastStatus = performance.now(); });
  probe.observer.observe(status, {subtree: true, childList: true, characterData: true});
}"""

PROBE_DONE_JS = """([canvas, status]) => {
  const p = canvas.__probe;
  if (p.t1 !== null) return true;
  return p.statusChanges >= 2 && !status.innerText.includes('running') && performance.now() - p.lastStatus > 2000;
}"""

PROBE_RESULT_JS = """canvas => {
  const p = canvas.__probe;
  p.armed = false;
  p.observer?.disconnect();
  return {t0: p.t0, t1: p.t1, changed: canvas.toDataURL() !== p.base};
}"""

PROBE_QUIET_JS = """([canvas, status]) => {
  const quiet = performance.now() - canvas.__probe.lastDraw > 150;
  return quiet && !status.innerText.includes('running');
}"""


@dataclass
class SliderMove:
    app: str
    slider: str
    before: str
    after: str
    latency_ms: float | None
    changed: bool
    status: str
    continuous: bool | None = None


def page_report(page) -> dict:
    return page.evaluate(PAGE_PROBLEMS_JS)


def wait_for_widgets(page, apps: int, timeout_s: float = 20.0, stuck_s: float = 3.0) -> None:
    """Until every widget has rendered, or nothing has changed for ``stuck_s`` (then the checks say what is wrong)."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(WIDGETS_STATE_JS, [APPS, apps])
        if state["done"]:
            return
        if state["signature"] != last:
            last, since = state["signature"], time.monotonic()
        elif time.monotonic() - since > stuck_s:
            return
        page.wait_for_timeout(250)


def wait_for_stable_layout(page, timeout_s: float = 5.0) -> None:
    """Until the content height stops changing (views attach and figures size themselves after "ready")."""
    heights = [page.evaluate(CONTENT_HEIGHT_JS)]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        heights.append(page.evaluate(CONTENT_HEIGHT_JS))
        if heights[-1] == heights[-2]:
            return


def screenshot_element(page, locator, path: Path) -> None:
    """A screenshot of one app, in a viewport tall enough that JupyterLab's bars do not cover it."""
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 1600})
    try:
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(path))
    finally:
        page.set_viewport_size(VIEWPORT)


def screenshot_whole(page, path: Path, max_height: int = 14000) -> None:
    """A screenshot of the whole lesson (the notebook scrolls inside the page, so full_page is not enough)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = min(int(page.evaluate(CONTENT_HEIGHT_JS)), max_height)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    try:
        page.wait_for_timeout(400)  # let the layout follow the new size
        page.evaluate("() => { for (const el of document.querySelectorAll('*')) if (el.scrollTop) el.scrollTop = 0; }")
        page.wait_for_timeout(100)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(VIEWPORT)
        page.wait_for_timeout(200)


def move_sliders(
    page, apps_to_try: list[tuple[int, str]], shots: Path, label: str, limit: int | None, timeout_ms: float = 10_000
):
    """Press ArrowRight once on each slider (the first ``limit``) of the given apps (position in the page, name).

    Returns what happened to the app's figure each time.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    apps = page.locator(APPS)
    moves: list[SliderMove] = []
    for index, name in apps_to_try:
        app = apps.nth(index)
        app.scroll_into_view_if_needed()
        canvas = app.locator(".jupyter-matplotlib-canvas-div > canvas").first.element_handle()
        status = app.locator("> .widget-html").first
        status_el = status.element_handle()
        canvas.evaluate(PROBE_INSTALL_JS)
        modes = slider_modes(name)
        sliders = app.locator(".widget-slider")
        for k in range(sliders.count() if limit is None else min(limit, sliders.count())):
            slider = sliders.nth(k)
            title = slider.locator(".widget-label").first.inner_text().strip()
            before = slider.locator(".widget-readout").first.inner_text().strip()
            page.evaluate(PROBE_ARM_JS, [canvas, status_el])
            slider.locator(".noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")
            # a timeout is not an error here: it shows up below as "figure did not change"
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(PROBE_DONE_JS, arg=[canvas, status_el], timeout=timeout_ms, polling="raf")
            result = canvas.evaluate(PROBE_RESULT_JS)
            # let the app finish (status line, last draw) before the next key press
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(PROBE_QUIET_JS, arg=[canvas, status_el], timeout=timeout_ms)
            latency = result["t1"] - result["t0"] if result["t0"] is not None and result["t1"] is not None else None
            moves.append(
                SliderMove(
                    app=name,
                    slider=title,
                    before=before,
                    after=slider.locator(".widget-readout").first.inner_text().strip(),
                    latency_ms=latency,
                    changed=bool(result["changed"]),
                    status=status.inner_text().strip(),
                    continuous=modes.get(title),
                )
            )
        screenshot_element(page, app, shots / f"{label}-app{index + 1}-{name}.png")
    return moves


def describe_moves(moves: list[SliderMove]) -> str:
    rows = []
    for m in moves:
        latency = f"{m.latency_ms:7.0f} ms" if m.latency_ms is not None else "      —   "
        mode = {True: "continuous", False: "on release", None: "?"}[m.continuous]
        rows.append(
            f"  {m.app:<16} {m.slider:<30} {mode:<10} {m.before:>7} → {m.after:<7} {latency}  "
            f"figure changed: {'yes' if m.changed else 'NO '}  status: {m.status[:70]}"
        )
    return "\n".join(rows)


def latency_table(records: list[dict]) -> str:
    """Median latency per lesson × app × environment (records: lesson, app, env, latency_ms)."""
    groups: dict[tuple[str, str, str], list[float]] = {}
    for r in records:
        groups.setdefault((r["lesson"], r["app"], r["env"]), []).append(r["latency_ms"])
    header = f"{'lesson':<28} {'app':<15} {'env':<6} {'n':>3} {'median ms':>10} {'max ms':>8}  target ≤ {LATENCY_TARGET_MS:.0f} ms"
    lines = [header, "-" * len(header)]
    for (lesson, app, env), values in sorted(groups.items()):
        ok = [v for v in values if v is not None]
        median = f"{statistics.median(ok):10.0f}" if ok else f"{'—':>10}"
        worst = f"{max(ok):8.0f}" if ok else f"{'—':>8}"
        flag = "" if ok and statistics.median(ok) <= LATENCY_TARGET_MS else "  over target"
        lines.append(f"{lesson:<28} {app:<15} {env:<6} {len(values):>3} {median} {worst}{flag}")
    return "\n".join(lines)


def outside_problems(urls: list[str], allow_known_cdn: bool) -> list[str]:
    bad = [u for u in urls if not (allow_known_cdn and KNOWN_CDN.match(u))]
    return [f"request to an outside host (aborted; the page needs the internet): {u[:200]}" for u in bad]


def check_lesson(page, log: PageLog, lesson: Path, env: str, results, log_text) -> list[str]:
    """The checks shared by JupyterLab and Voilà, once the lesson has run; returns the problems found.

    Widget health and error outputs, a screenshot of the whole lesson, then the sliders of every app
    moved once each by the keyboard: each app's figure must change and its status line must not say
    "Could not update". Latencies go to ``results.latency``.
    """
    label = f"{env}-{lesson.stem}"
    names = expected_apps(lesson)
    t0 = time.monotonic()
    wait_for_widgets(page, len(names))
    wait_for_stable_layout(page)
    t1 = time.monotonic()
    screenshot_whole(page, ARTIFACTS / f"{label}.png")
    t2 = time.monotonic()
    report = page_report(page)
    problems = list(report["problems"])
    results.notes += [f"{label}: stderr output (not an error): {s[:300]}" for s in report["stderr"] if s]

    found = page.locator(APPS).count()
    if found != len(names):
        problems.append(f"expected {len(names)} app(s) {names}, found {found} in the page")
        names = names[:found]
    rendered = page.locator(APPS).evaluate_all(
        "apps => apps.map(a => { const c = a.querySelector('.jupyter-matplotlib-canvas-div > canvas'); "
        "return !!c && c.width > 0 && c.height > 0; })"
    )
    live = [(i, name) for i, (name, ok) in enumerate(zip(names, rendered, strict=False)) if ok]
    for index, (name, ok) in enumerate(zip(names, rendered, strict=False)):
        if not ok:
            problems.append(f"{name}: figure not rendered (canvas 0×0), its sliders were not tried")
            screenshot_element(page, page.locator(APPS).nth(index), ARTIFACTS / f"{label}-app{index + 1}-{name}.png")
    t3 = time.monotonic()
    moves = move_sliders(page, live, ARTIFACTS, label, SLIDERS_PER_APP[env])
    results.timings.append(
        f"  {label:<36} widgets settle {t1 - t0:4.1f} s · screenshot {t2 - t1:4.1f} s · checks {t3 - t2:4.1f} s"
        f" · {len(moves)} slider moves {time.monotonic() - t3:4.1f} s"
    )
    for m in moves:
        if "Could not update" in m.status:
            problems.append(f"{m.app}: after '{m.slider}' the status line says: {m.status[:300]}")
        if m.before == m.after:
            results.notes.append(f"{label}: {m.app}: ArrowRight left '{m.slider}' at {m.before} (end of its range?)")
        elif not m.changed:  # a control without effect in this state, e.g. a width for another distribution
            results.notes.append(
                f"{label}: {m.app}: '{m.slider}' {m.before} → {m.after} did not change the figure (no effect here?)"
            )
        if m.latency_ms is not None:
            results.latency.append(
                {"lesson": lesson.stem, "app": m.app, "env": env, "slider": m.slider, "latency_ms": m.latency_ms}
            )
    for _, name in live:
        if not any(m.app == name for m in moves):
            results.notes.append(f"{label}: {name} has no slider to move")
        elif not any(m.app == name and m.changed for m in moves):
            problems.append(f"{name}: no slider changed its figure")
        released = [m for m in moves if m.app == name and m.continuous is False and m.before != m.after]
        if released and not any(m.changed for m in released):  # the key press must commit these too
            names_ = ", ".join(m.slider for m in released)
            problems.append(f"{name}: no continuous_update=False slider updated the figure on ArrowRight ({names_})")
    problems += log.problems()
    problems += server_problems(log_text())
    if moves:
        results.moves.append(f"{label}\n{describe_moves(moves)}")
    return problems
