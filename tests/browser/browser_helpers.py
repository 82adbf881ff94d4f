"""Shared machinery of the real-browser tests: the Jupyter server, the page checks and the app driver.

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
# screenshots at 1280 px; the layout is checked at every width in WIDTHS (the page resized after Run All)
VIEWPORT = {"width": 1280, "height": 800}
WIDTHS = (1024, 1280)
LATENCY_TARGET_MS = 300.0
# controls moved per app: all of them in JupyterLab; in Voilà the first two sliders (every preset is tried in both;
# the run time budget of the whole suite is about 7 minutes)
SLIDERS_PER_APP = {"lab": None, "voila": 2}
DROPDOWNS_PER_APP = {"lab": None, "voila": 0}
# the longest an app may take to answer one change (a simulation on a loaded 2-core machine), and to start answering
ACTION_TIMEOUT_MS = 20_000
IDLE_MS = 5_000
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


def preset_states(app_name: str) -> tuple[str, dict[str, str]] | None:
    """The state string of an app's defaults and of each of its presets, from its controls without running its model.

    ``App.apply_preset`` sets the preset's values and every other control to its default, so the state box must
    show exactly these strings. None for an app whose controls cannot be built without its state.
    """
    from nmteach import apps

    cls = getattr(apps, app_name, None)
    app = cls.__new__(cls)
    try:
        app.controls = app.make_controls()
    except Exception:
        return None
    defaults = app.values()
    default_state = app.state()
    states = {}
    for name, preset in cls.presets.items():
        for key, value in {**defaults, **preset.values}.items():
            app.controls[key].value = value
        states[name] = app.state()
    return default_state, states


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

# the left sidebar is expanded and shows the file browser
LAB_FILE_BROWSER_JS = (
    """() => !window.jupyterapp.shell.leftCollapsed && (document.querySelector('#filebrowser')?.offsetWidth ?? 0) > 0"""
)

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

# every nmteach app's root widget has this class (and nmteach-present in the present layout)
APPS = ".nmteach-app"

# ----------------------------------------------------------------------------------------------------------------
# layout: nothing in an output area with an app or a figure may be wider than the area


WIDTH_PROBLEMS_JS = """(names) => {
  const apps = [...document.querySelectorAll('.nmteach-app')];
  const cells = [...document.querySelectorAll('.jp-Cell')];
  const px = x => `${Math.round(x)} px`;
  const label = el => el.querySelector(':scope > .widget-label')?.textContent.trim() ?? '';
  const describe = el => {
    if (el.tagName === 'CANVAS') return `canvas (${el.width}×${el.height} bitmap)`;
    if (el.tagName === 'IMG') return `img (${el.naturalWidth}×${el.naturalHeight} image)`;
    if (el.classList.contains('widget-slider')) return `slider "${label(el)}"`;
    if (el.classList.contains('widget-dropdown')) return `dropdown "${label(el)}"`;
    const inside = [...el.querySelectorAll('.widget-label')].map(l => l.textContent.trim()).filter(Boolean);
    const kind = el.classList.contains('nmteach-app') ? 'the app' : el.classList.contains('widget-hbox') ? 'widget row' : 'widget column';
    return kind + (inside.length ? ` with "${inside.slice(0, 3).join('", "')}"${inside.length > 3 ? ', …' : ''}` : '');
  };
  const problems = [], areas = [], hidden = [];
  for (const area of document.querySelectorAll('.jp-OutputArea-output')) {
    if (!area.querySelector('.nmteach-app, canvas, img')) continue;
    const box = area.getBoundingClientRect();
    if (box.width === 0) continue;  // not displayed
    const app = area.querySelector('.nmteach-app');
    const cell = cells.indexOf(area.closest('.jp-Cell'));
    const where = cell >= 0 ? `cell ${cell + 1}` : 'an output';
    const k = apps.indexOf(app);
    const who = app ? `${names[k] ?? 'app'} (app ${k + 1}, ${where})` : `figure in ${where}`;
    areas.push(Math.round(box.width));
    const wide = [];
    for (const el of area.querySelectorAll('canvas, img, .widget-hbox, .widget-vbox, .widget-slider, .widget-dropdown')) {
      const w = el.getBoundingClientRect().width;
      if (w > box.width + 1) wide.push(`${describe(el)} is ${px(w)} wide`);
    }
    // the figure itself must show: at its bitmap's width, or scaled down to the area with its aspect ratio kept
    for (const c of area.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')) {
      const r = c.getBoundingClientRect();
      if (!(c.width > 0 && c.height > 0)) continue;  // not rendered: reported by the page checks
      const bitmap = `${c.width}×${c.height}`;
      if (r.width < 0.5 * Math.min(c.width, box.width) || r.height < 1) {
        hidden.push(`${who}: the figure is not visible, its canvas is shown at ${px(r.width)} × ${px(r.height)} (bitmap ${bitmap}, output area ${px(box.width)})`);
      } else if (Math.abs(r.height / r.width - c.height / c.width) > 0.03 * (c.height / c.width)) {
        hidden.push(`${who}: the figure is distorted, shown at ${px(r.width)} × ${px(r.height)} (bitmap ${bitmap})`);
      }
    }
    if (area.scrollWidth > area.clientWidth + 1) wide.push(`the area scrolls sideways (scrollWidth ${area.scrollWidth} > clientWidth ${area.clientWidth})`);
    if (wide.length) {
      const counts = new Map();
      for (const w of wide) counts.set(w, (counts.get(w) ?? 0) + 1);
      const items = [...counts].map(([w, n]) => (n > 1 ? `${w} (×${n})` : w));
      const more = items.length > 6 ? `; and ${items.length - 6} more` : '';
      problems.push(`${who}: too wide: ${items.slice(0, 6).join('; ')}${more} (output area ${px(box.width)})`);
    }
  }
  problems.push(...hidden);
  const browser = document.querySelector('#filebrowser');
  return {problems, areas, fileBrowser: browser ? Math.round(browser.getBoundingClientRect().width) : null};
}"""

# what moves when the page relayouts: output areas, apps, canvases
LAYOUT_SIGNATURE_JS = """() => [...document.querySelectorAll(
  '.jp-OutputArea-output, .nmteach-app, .jupyter-matplotlib-canvas-div > canvas')].map(e => Math.round(e.getBoundingClientRect().width)).join()"""


def wait_for_relayout(page, timeout_s: float = 4.0) -> None:
    """After a viewport change: until the widths of output areas, apps and canvases are the same three polls running."""
    page.wait_for_timeout(200)
    last, same = page.evaluate(LAYOUT_SIGNATURE_JS), 0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and same < 2:
        page.wait_for_timeout(150)
        now = page.evaluate(LAYOUT_SIGNATURE_JS)
        same = same + 1 if now == last else 0
        last = now


def check_widths(page, names: list[str], env: str, results, label: str) -> list[str]:
    """At each width in WIDTHS (the page resized, not reloaded): nothing in an app's or a figure's output is too wide,
    and every figure shows (not collapsed, not distorted)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
        wait_for_relayout(page)
        found = page.evaluate(WIDTH_PROBLEMS_JS, names)
        problems += [f"at a {width} px window: {p}" for p in found["problems"]]
        if env == "lab" and not found["fileBrowser"]:
            problems.append(f"the file browser is not open at {width} px: the width check needs the default layout")
        areas = sorted(set(found["areas"]))
        browser = f", file browser {found['fileBrowser']} px" if env == "lab" else ""
        results.layout.append(f"  {label:<36} {width} px: output areas {'/'.join(map(str, areas)) or '—'} px{browser}")
    if page.viewport_size != VIEWPORT:
        page.set_viewport_size(VIEWPORT)
        wait_for_relayout(page)
    return problems


# ----------------------------------------------------------------------------------------------------------------
# equations: MathJax 3 (bundled with JupyterLab and Voilà; no CDN) typesets every formula of the markdown

MATH_STATE_JS = """() => {
  const md = [...document.querySelectorAll('.jp-RenderedMarkdown')];
  const raw = [];
  let typeset = 0;
  for (const el of md) {
    if (el.querySelector('mjx-container')) typeset += 1;
    const copy = el.cloneNode(true);
    copy.querySelectorAll('mjx-container, code, pre, script, style').forEach(n => n.remove());
    const found = copy.textContent.match(/\\$\\$[\\s\\S]{0,60}|(?<![\\\\\\w])\\$[^$\\s][^$\\n]{0,60}?\\$/);
    if (found) raw.push(found[0].replace(/\\s+/g, ' '));
  }
  return {markdown: md.length, typeset, raw};
}"""

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s][^$\n]*?\$", re.S)


def math_cells(notebook: Path) -> int:
    """How many markdown cells of a lesson hold LaTeX between $ signs (outside code)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    return sum(bool(_MATH.search(_CODE.sub("", s))) for s in sources)


def check_math(page, lesson: Path, results, label: str, timeout_s: float = 15.0) -> list[str]:
    """Every markdown cell with LaTeX shows MathJax output (mjx-container) and no raw $…$ or $$ is left."""
    expected = math_cells(lesson)
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(MATH_STATE_JS)
        if (state["typeset"] >= expected and not state["raw"]) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    results.layout.append(
        f"  {label:<36} equations: {state['typeset']} markdown cells typeset by MathJax ({expected} hold LaTeX)"
    )
    problems = []
    if state["typeset"] < expected:
        problems.append(
            f"equations not typeset: {state['typeset']} of the {expected} markdown cells with LaTeX show MathJax output"
            f" ({state['markdown']} rendered markdown cells in the page)"
        )
    if state["raw"]:
        problems.append(f"raw LaTeX left in rendered markdown ({len(state['raw'])} cells), e.g. {state['raw'][:3]}")
    return problems


# ----------------------------------------------------------------------------------------------------------------
# driving an app: a probe on its canvas times the first changed picture after an action and waits for the
# app to answer (status line "running…" then its summary, state box, last draw)

# mark the parts of an app the driver needs (the status line is the first HTML widget after the figure: the
# figure comes first in the present layout and after the controls otherwise)
TAG_APP_JS = """app => {
  const label = el => el.querySelector(':scope > .widget-label')?.textContent.trim() ?? '';
  const kids = [...app.children];
  const figure = kids.findIndex(k => k.classList.contains('jupyter-matplotlib'));
  const status = figure < 0 ? null : kids.slice(figure + 1).find(k => k.classList.contains('widget-html'));
  if (status) status.dataset.nm = 'status';
  const canvas = app.querySelector('.jupyter-matplotlib-canvas-div > canvas');
  if (canvas) canvas.dataset.nm = 'canvas';
  for (const el of app.querySelectorAll('.widget-text')) if (label(el) === 'state') el.querySelector('input').dataset.nm = 'state';
  for (const el of app.querySelectorAll('.widget-dropdown')) el.querySelector('select').dataset.nm = label(el) === 'preset' ? 'preset' : 'control';
  for (const b of app.querySelectorAll('button')) if (b.textContent.trim() === 'reset') b.dataset.nm = 'reset';
  const has = role => !!app.querySelector(`[data-nm="${role}"]`);
  return {status: has('status'), canvas: has('canvas'), state: has('state'), preset: has('preset'), reset: has('reset')};
}"""

# instrument one ipympl canvas: a cheap fingerprint of its pixels, and the time of the first draw that changes it
PROBE_INSTALL_JS = """canvas => {
  window.__nmFingerprint ??= c => {
    if (!(c.width > 0 && c.height > 0)) return `${c.width}x${c.height}`;
    const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    let h = 0x811c9dc5;
    for (let i = 0; i < px.length; i++) h = Math.imul(h ^ px[i], 0x01000193);
    return `${c.width}x${c.height}:${(h >>> 0).toString(16)}`;
  };
  if (canvas.__probe) return;
  const ctx = canvas.getContext('2d');
  const draw = ctx.drawImage;
  const probe = canvas.__probe = {armed: false, gen: 0, base: null, t0: null, t1: null, lastDraw: 0};
  ctx.drawImage = function (...args) {
    const result = draw.apply(this, args);
    probe.lastDraw = performance.now();
    if (probe.armed && probe.t0 !== null && probe.t1 === null && window.__nmFingerprint(canvas) !== probe.base) {
      probe.t1 = performance.now();
    }
    return result;
  };
}"""

# before an action: remember the picture, start the clock at the first event of the given types (keydown, change,
# click) and count the status line's changes
PROBE_ARM_JS = """([canvas, status, box, events]) => {
  const p = canvas.__probe;
  const gen = p.gen + 1;
  Object.assign(p, {armed: true, gen, base: window.__nmFingerprint(canvas), t0: null, t1: null, statusChanges: 0, lastStatus: 0});
  const start = () => { if (p.gen === gen && p.t0 === null) p.t0 = performance.now(); };
  for (const type of events) document.addEventListener(type, start, {capture: true, once: true});
  p.observer?.disconnect();
  p.observer = new MutationObserver(() => { p.statusChanges += 1; p.lastStatus = performance.now(); });
  p.observer.observe(status, {subtree: true, childList: true, characterData: true});
  return {fingerprint: p.base, status: status.innerText.trim(), state: box.value};
}"""

# after the action: until the app has answered ("running…" then its summary: two changes of the status line; the
# expected state in the state box) and then either the canvas has not been drawn for SETTLE_MS (its fingerprint is
# final) or, without a changed picture, nothing has happened for 2 s. One call with its own time limits (an
# evaluate has none): the whole wait, then the result.
SETTLE_MS = 150
PROBE_WAIT_JS = """([canvas, status, box, expected, limits]) => new Promise(resolve => {
  const p = canvas.__probe;
  const start = performance.now();
  const finish = timedOut => {
    p.armed = false;
    p.observer?.disconnect();
    const fingerprint = window.__nmFingerprint(canvas);
    resolve({t0: p.t0, t1: p.t1, fingerprint, changed: fingerprint !== p.base, status: status.innerText.trim(),
             state: box.value, statusChanges: p.statusChanges, timedOut});
  };
  const tick = () => {
    const now = performance.now();
    const answered = p.statusChanges >= 2 && !status.innerText.includes('running') && (expected === null || box.value === expected);
    if (answered && p.t1 !== null && now - p.lastDraw > limits.settle && now - p.lastStatus > 50) return finish(false);
    if (answered && p.t1 === null && now - Math.max(p.lastStatus, p.lastDraw) > 2000) return finish(false);
    // nothing at all happened (no answer, no new picture): the action did not reach the app
    if (p.statusChanges === 0 && p.t1 === null && now - start > limits.idle) return finish(true);
    if (now - start > limits.total) return finish(true);
    setTimeout(tick, 15);
  };
  tick();
})"""

SLIDER_INFO_JS = """el => {
  const aria = el.querySelector('[aria-valuenow]');
  const now = parseFloat(aria?.getAttribute('aria-valuenow')), max = parseFloat(aria?.getAttribute('aria-valuemax'));
  return {
    label: el.querySelector('.widget-label')?.textContent.trim() ?? '',
    readout: el.querySelector('.widget-readout')?.innerText.trim() ?? '',
    disabled: !!el.querySelector('.noUi-target[disabled], .slider[disabled]'),
    tooltip: el.querySelector(':scope > .widget-label')?.title || el.title || '',
    atMax: Number.isFinite(now) && Number.isFinite(max) && now >= max - 1e-9,
  };
}"""

DROPDOWN_INFO_JS = """select => {
  const box = select.closest('.widget-dropdown');
  return {
    label: box.querySelector('.widget-label')?.textContent.trim() ?? '',
    options: [...select.options].map(o => o.textContent),
    index: select.selectedIndex,
    disabled: select.disabled,
    tooltip: box.querySelector(':scope > .widget-label')?.title || box.title || '',
  };
}"""


@dataclass
class Action:
    """One thing done to an app (a control moved, a preset chosen, reset, a state typed) and how it answered."""

    app: str
    kind: str  # slider, dropdown, preset, reset, state
    control: str
    before: str  # readout or option before (controls); state string before (others)
    after: str
    latency_ms: float | None
    changed: bool  # the figure's fingerprint changed
    status_before: str
    status: str
    state_before: str
    state: str
    fingerprint: str
    errors: list[str] = field(default_factory=list)  # kernel error messages meanwhile
    disabled: str | None = None  # a disabled control (not moved): its tooltip
    continuous: bool | None = None
    answered: bool = True  # the status line went through "running…" to a final text

    @property
    def moved(self) -> bool:
        return self.disabled is None and self.before != self.after

    @property
    def status_changed(self) -> bool:
        return self.status != self.status_before


class AppDriver:
    """One app of the page (position ``index``, class ``name``): acts on it and reports what its figure did."""

    def __init__(self, page, log: PageLog, index: int, name: str):
        self.page, self.log, self.index, self.name = page, log, index, name
        self.root = page.locator(APPS).nth(index)
        self.root.scroll_into_view_if_needed()
        self.parts = self.root.evaluate(TAG_APP_JS)
        self.missing = [part for part, ok in self.parts.items() if not ok]
        if self.missing:
            return
        self.canvas = self.root.locator("[data-nm=canvas]").element_handle()
        self.status = self.root.locator("[data-nm=status]").element_handle()
        self.state_box = self.root.locator("input[data-nm=state]")
        self.box = self.state_box.element_handle()
        self.canvas.evaluate(PROBE_INSTALL_JS)

    def look(self) -> dict:
        """The figure's fingerprint, the status line and the state box now."""
        return self.page.evaluate(
            "([c, s, b]) => ({fingerprint: window.__nmFingerprint(c), status: s.innerText.trim(), state: b.value})",
            [self.canvas, self.status, self.box],
        )

    def act(self, kind: str, control: str, events: list[str], do, expected: str | None = None) -> Action:
        """Arm the probe, ``do()`` the action, wait until the app has answered (and shows ``expected`` in its state box)."""
        handles = [self.canvas, self.status, self.box]
        before = self.page.evaluate(PROBE_ARM_JS, [*handles, events])
        errors = len(self.log.kernel_errors)
        do()
        limits = {"settle": SETTLE_MS, "idle": IDLE_MS, "total": ACTION_TIMEOUT_MS}
        result = self.page.evaluate(PROBE_WAIT_JS, [*handles, expected, limits])
        latency = result["t1"] - result["t0"] if result["t0"] is not None and result["t1"] is not None else None
        return Action(
            app=self.name,
            kind=kind,
            control=control,
            before=before["state"],
            after=result["state"],
            latency_ms=latency,
            changed=bool(result["changed"]),
            status_before=before["status"],
            status=result["status"],
            state_before=before["state"],
            state=result["state"],
            fingerprint=result["fingerprint"],
            errors=self.log.kernel_errors[errors:],
            answered=not result["timedOut"] and result["statusChanges"] >= 2,
        )

    def move_sliders(self, limit: int | None) -> list[Action]:
        """One key press on each slider (ArrowRight, ArrowLeft at the end of its range); disabled ones are not moved."""
        modes = slider_modes(self.name)
        sliders = self.root.locator(".widget-slider")
        actions = []
        for k in range(sliders.count() if limit is None else min(limit, sliders.count())):
            slider = sliders.nth(k)
            info = slider.evaluate(SLIDER_INFO_JS)
            if info["disabled"]:
                actions.append(self._skipped("slider", info))
                continue
            key = "ArrowLeft" if info["atMax"] else "ArrowRight"
            handle = slider.locator(".noUi-handle").first

            def press(handle=handle, key=key):
                handle.focus()
                self.page.keyboard.press(key)

            action = self.act("slider", info["label"], ["keydown"], press)
            action.before, action.after = info["readout"], slider.evaluate(SLIDER_INFO_JS)["readout"]
            action.continuous = modes.get(info["label"])
            actions.append(action)
        return actions

    def move_dropdowns(self, limit: int | None) -> list[Action]:
        """Each control dropdown (not the preset menu) to its next option; disabled ones are not moved."""
        selects = self.root.locator("select[data-nm=control]")
        actions = []
        for k in range(selects.count() if limit is None else min(limit, selects.count())):
            select = selects.nth(k)
            info = select.evaluate(DROPDOWN_INFO_JS)
            if info["disabled"] or len(info["options"]) < 2:
                actions.append(self._skipped("dropdown", info))
                continue
            target = (info["index"] + 1) % len(info["options"])
            action = self.act(
                "dropdown", info["label"], ["change"], lambda s=select, t=target: s.select_option(index=t)
            )
            after = select.evaluate(DROPDOWN_INFO_JS)
            action.before, action.after = info["options"][info["index"]], after["options"][after["index"]]
            actions.append(action)
        return actions

    def _skipped(self, kind: str, info: dict) -> Action:
        now = self.look()
        value = info.get("readout") or (info["options"][info["index"]] if info.get("options") else "")
        return Action(
            app=self.name,
            kind=kind,
            control=info["label"],
            before=value,
            after=value,
            latency_ms=None,
            changed=False,
            status_before=now["status"],
            status=now["status"],
            state_before=now["state"],
            state=now["state"],
            fingerprint=now["fingerprint"],
            disabled=info["tooltip"] or "(no tooltip)",
        )

    def choose_preset(self, name: str, expected: str | None) -> Action:
        menu = self.root.locator("select[data-nm=preset]")
        return self.act("preset", name, ["change"], lambda: menu.select_option(label=name), expected)

    def press_reset(self, expected: str | None) -> Action:
        button = self.root.locator("button[data-nm=reset]")
        return self.act("reset", "reset", ["click"], button.click, expected)

    def type_state(self, state: str, label: str) -> Action:
        def type_and_enter():
            self.state_box.fill(state)
            self.state_box.press("Enter")

        return self.act("state", label, ["keydown"], type_and_enter, state)


def control_problems(name: str, actions: list[Action]) -> tuple[list[str], list[str]]:
    """Every enabled control that moved must change the figure or the status line; none may fail to update."""
    problems, notes = [], []
    for a in actions:
        what = f"{name}: {a.kind} '{a.control}'"
        if a.disabled is not None:
            notes.append(f"{what} is disabled here, not moved (tooltip: {a.disabled})")
            continue
        if "Could not update" in a.status:
            problems.append(f"{what} {a.before} → {a.after}: the status line says: {a.status[:300]}")
        problems += [f"{what} {a.before} → {a.after}: kernel error {e}" for e in a.errors]
        if not a.moved:
            notes.append(f"{what} did not move from {a.before} (one key press; end of its range?)")
        elif not a.changed and not a.status_changed:
            problems.append(
                f"{what} is enabled and moved {a.before} → {a.after}, but neither the figure nor the status line changed"
                " (a control without effect here should be disabled, with a tooltip saying when it applies)"
            )
    sliders = [a for a in actions if a.kind == "slider" and a.moved]
    if sliders and not any(a.changed for a in sliders):
        problems.append(f"{name}: no slider changed its figure")
    released = [a for a in sliders if a.continuous is False]
    if released and not any(a.changed for a in released):  # the key press must commit these too
        problems.append(
            f"{name}: no continuous_update=False slider updated the figure on a key press ({', '.join(a.control for a in released)})"
        )
    return problems, notes


def preset_cycle(driver: AppDriver, start: dict) -> tuple[list[Action], list[str], list[str]]:
    """Every preset from the menu, then reset, then the state string of a preset typed into the state box.

    Each must answer without error and show the expected state string (the preset's values, every other control
    at its default). The figure must change unless the state does not (a preset equal to the current state: then
    its figure must equal the one seen before in that state). Typing a preset's state string must bring back
    the figure of that preset; when the app's figures are not bit-for-bit reproducible (the same state drawn twice
    gives different pixels), the state box and the status line are compared instead, and a note says so.
    """
    name = driver.name
    states = preset_states(name)
    default_state, expected = states if states is not None else (None, {})
    problems, notes, actions = [], [], []
    seen: dict[str, dict] = {start["state"]: start}  # state string -> the look of the app in that state
    repro: list[bool] = []  # each revisit of a state: did the figure come back bit for bit?
    unchanged_state_redrawn: list[str] = []  # a preset equal to the current state that changed the figure

    def judge(a: Action, target: str | None, what: str) -> None:
        if "Could not update" in a.status:
            problems.append(f"{name}: {what}: the status line says: {a.status[:300]}")
        problems.extend(f"{name}: {what}: kernel error {e}" for e in a.errors)
        if not a.answered:
            problems.append(f"{name}: {what}: the app did not answer (status line {a.status[:200]!r})")
        if target is not None and a.state != target:
            problems.append(f"{name}: {what}: the state box shows {a.state!r}, expected {target!r}")
        elif target is None and a.state == a.state_before:
            problems.append(f"{name}: {what}: the state box did not change ({a.state!r})")
        if a.state != a.state_before and not a.changed:
            problems.append(
                f"{name}: {what}: the state changed ({a.state_before!r} → {a.state!r}) but the figure did not"
            )
        if a.state == a.state_before and a.state in seen:
            notes.append(f"{name}: {what}: equals the current state; its figure is compared with the one seen before")
            if a.fingerprint != seen[a.state]["fingerprint"]:
                unchanged_state_redrawn.append(what)
        if a.state in seen:
            repro.append(seen[a.state]["fingerprint"] == a.fingerprint)
        else:
            seen[a.state] = {"fingerprint": a.fingerprint, "status": a.status, "state": a.state}

    for preset in driver_presets(driver):
        a = driver.choose_preset(preset, expected.get(preset))
        actions.append(a)
        judge(a, expected.get(preset), f"preset '{preset}'")
    a = driver.press_reset(default_state)
    actions.append(a)
    judge(a, default_state, "reset")
    if states is None:
        notes.append(f"{name}: expected state strings unknown (controls need the app's state): only changes checked")

    # type the state of the first preset that differs from the reset state
    typed = next((p for p, s in expected.items() if s != default_state), None)
    if typed is not None:
        target = expected[typed]
        shown = seen.get(target)
        a = driver.type_state(target, f"state of '{typed}'")
        actions.append(a)
        what = f"state of preset '{typed}' typed into the state box"
        if "Could not update" in a.status:
            problems.append(f"{name}: {what}: the status line says: {a.status[:300]}")
        problems.extend(f"{name}: {what}: kernel error {e}" for e in a.errors)
        if not a.answered:
            problems.append(f"{name}: {what}: the app did not answer (status line {a.status[:200]!r})")
        if a.state != target:
            problems.append(f"{name}: {what}: the state box shows {a.state!r}")
        if not a.changed:
            problems.append(f"{name}: {what}: the figure did not change from the reset state")
        if shown is not None and a.fingerprint != shown["fingerprint"]:
            if all(repro) and repro:
                problems.append(
                    f"{name}: {what}: the figure differs from the one the preset showed (other states came back bit for bit)"
                )
            elif a.status != shown["status"]:
                problems.append(
                    f"{name}: {what}: figures are not bit-for-bit reproducible here and the status differs from the"
                    f" preset's: {a.status[:200]!r} vs {shown['status'][:200]!r}"
                )
            else:
                notes.append(
                    f"{name}: the same state drawn twice gives different pixels: the typed state was checked by its"
                    " state box and status line, not by the figure"
                )
        elif shown is not None:
            repro.append(True)
    if repro and not all(repro):
        notes.append(f"{name}: {repro.count(False)} of {len(repro)} revisited states did not redraw bit for bit")
    if unchanged_state_redrawn and repro.count(True) > 0:  # other states came back bit for bit
        problems += [f"{name}: {w}: the state did not change but the figure did" for w in unchanged_state_redrawn]
    driver.revisits = repro
    return actions, problems, notes


def driver_presets(driver: AppDriver) -> list[str]:
    """The preset menu's entries (after its "choose a preset…" placeholder), as the page shows them."""
    options = driver.root.locator("select[data-nm=preset]").evaluate("s => [...s.options].map(o => o.textContent)")
    return options[1:]


def exercise_app(page, log: PageLog, index: int, name: str, env: str, label: str):
    """Controls, presets, reset and a typed state on one app; returns (actions, problems, notes, summary)."""
    driver = AppDriver(page, log, index, name)
    if driver.missing:
        return [], [f"{name}: the app has no {', '.join(driver.missing)} (looked for in app {index + 1})"], [], ""
    start = driver.look()
    actions = driver.move_sliders(SLIDERS_PER_APP[env]) + driver.move_dropdowns(DROPDOWNS_PER_APP[env])
    problems, notes = control_problems(name, actions)
    cycle, more_problems, more_notes = preset_cycle(driver, start)
    screenshot_element(page, driver.root, ARTIFACTS / f"{label}-app{index + 1}-{name}.png")
    same = driver.revisits.count(True)
    summary = f"{name}: {len(driver.revisits)} states shown twice, the figure identical bit for bit {same} times"
    return actions + cycle, problems + more_problems, notes + more_notes, summary


# ----------------------------------------------------------------------------------------------------------------
# page-level helpers


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
    """A screenshot of one app, in a viewport tall enough that JupyterLab's bars do not cover it.

    A page that scrolls as a whole (Voilà) needs no taller viewport: Chromium captures beyond it.
    """
    if page.evaluate("() => document.scrollingElement.scrollHeight > window.innerHeight"):
        locator.screenshot(path=str(path))
        return
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


def describe_actions(actions: list[Action]) -> str:
    rows = []
    for a in actions:
        latency = f"{a.latency_ms:7.0f} ms" if a.latency_ms is not None else "      —   "
        if a.kind in ("slider", "dropdown"):
            mode = {True: "continuous", False: "on release", None: ""}[a.continuous] if a.kind == "slider" else ""
            what = f"{a.kind:<8} {a.control:<30} {mode:<10} {a.before:>7} → {a.after:<7}"
        else:
            what = f"{a.kind:<8} {a.control[:49]:<49}"
        if a.disabled is not None:
            rows.append(f"  {a.app:<16} {what} disabled: {a.disabled[:90]}")
            continue
        rows.append(
            f"  {a.app:<16} {what} {latency}  figure changed: {'yes' if a.changed else 'NO '}"
            f"  status changed: {'yes' if a.status_changed else 'NO '}  status: {a.status[:70]}"
        )
    return "\n".join(rows)


def latency_table(records: list[dict]) -> str:
    """Median latency per lesson × app × environment, for control moves and for presets (records: lesson, app, env,
    kind, latency_ms)."""
    groups: dict[tuple[str, str, str], dict[str, list[float]]] = {}
    for r in records:
        groups.setdefault((r["lesson"], r["app"], r["env"]), {"control": [], "preset": []})[r["kind"]].append(
            r["latency_ms"]
        )

    def stats(values: list[float]) -> str:
        ok = [v for v in values if v is not None]
        if not ok:
            return f"{len(values):>3} {'—':>7} {'—':>7}"
        return f"{len(values):>3} {statistics.median(ok):7.0f} {max(ok):7.0f}"

    header = (
        f"{'lesson':<28} {'app':<17} {'env':<6} {'control moves':^19}  {'presets':^19}  "
        f"control target ≤ {LATENCY_TARGET_MS:.0f} ms"
    )
    sub = f"{'':<28} {'':<17} {'':<6} {'n':>3} {'median':>7} {'max':>7}  {'n':>3} {'median':>7} {'max':>7}"
    lines = [header, sub, "-" * len(header)]
    for (lesson, app, env), kinds in sorted(groups.items()):
        ok = [v for v in kinds["control"] if v is not None]
        flag = "" if not kinds["control"] or (ok and statistics.median(ok) <= LATENCY_TARGET_MS) else "  over target"
        lines.append(f"{lesson:<28} {app:<17} {env:<6} {stats(kinds['control'])}  {stats(kinds['preset'])}{flag}")
    return "\n".join(lines)


def outside_problems(urls: list[str]) -> list[str]:
    """Every request to another host is a problem: lessons and lecture pages must work without a network."""
    return [
        f"request to an outside host (aborted; the page needs the internet): {u[:200]}" for u in dict.fromkeys(urls)
    ]


def check_lesson(page, log: PageLog, lesson: Path, env: str, results, log_text) -> list[str]:
    """The checks shared by JupyterLab and Voilà, once the lesson has run; returns the problems found.

    Widget health and error outputs, a screenshot of the whole lesson, the widths of every output with an app or a
    figure at each window width in WIDTHS, typeset equations; then for each app: its sliders and dropdowns moved
    once each (every enabled control that moves must change the figure or the status line), every preset, reset,
    and a preset's state string typed into the state box. Latencies go to ``results.latency``.
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
    problems += check_widths(page, names, env, results, label)
    problems += check_math(page, lesson, results, label)

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
            problems.append(f"{name}: figure not rendered (canvas 0×0), its controls were not tried")
            screenshot_element(page, page.locator(APPS).nth(index), ARTIFACTS / f"{label}-app{index + 1}-{name}.png")
    t3 = time.monotonic()
    actions: list[Action] = []
    summaries: list[str] = []
    for index, name in live:
        done, found_problems, notes, summary = exercise_app(page, log, index, name, env, label)
        actions += done
        summaries.append(f"  {summary}")
        problems += found_problems
        results.notes += [f"{label}: {n}" for n in notes]
    moves = sum(a.kind in ("slider", "dropdown") and a.disabled is None for a in actions)
    presets = sum(a.kind in ("preset", "reset", "state") for a in actions)
    results.timings.append(
        f"  {label:<36} widgets settle {t1 - t0:4.1f} s · screenshot {t2 - t1:4.1f} s · widths, math {t3 - t2:4.1f} s"
        f" · {moves} control moves, {presets} presets/reset/state {time.monotonic() - t3:5.1f} s"
    )
    for a in actions:
        if a.latency_ms is not None and a.kind in ("slider", "dropdown", "preset"):
            kind = "preset" if a.kind == "preset" else "control"
            results.latency.append(
                {
                    "lesson": lesson.stem,
                    "app": a.app,
                    "env": env,
                    "kind": kind,
                    "control": a.control,
                    "latency_ms": a.latency_ms,
                }
            )
    problems += log.problems()
    problems += server_problems(log_text())
    if actions:
        results.moves.append("\n".join([label, describe_actions(actions), *summaries]))
    return problems
