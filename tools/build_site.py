"""Build the course website: every lesson executed with its figures as images, the README as the home page, the
API reference from the docstrings, equations typeset by a MathJax served from the site itself.

    python tools/build_site.py [--out build/site]

Sphinx with myst-nb executes the lessons with NMTEACH_STATIC=1, so that each app shows its figure as an image
and its caption and controls as text. The result is a folder of static files: copy it to any static host.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO = "nmteach/nmteach"
BINDER = f"https://mybinder.org/v2/gh/{REPO}/HEAD?urlpath="

CONF = r"""
project = "nmteach"
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]
html_theme = "alabaster"
html_theme_options = {"font_family": "sans-serif", "head_font_family": "sans-serif", "code_font_family": "monospace",
                      "page_width": "1100px", "show_powered_by": False}
html_static_path = ["_static"]
html_favicon = "_static/favicon.png"
# MathJax 3 served by the site itself (tools/build_site.py fetches the npm package once)
mathjax_path = "mathjax/tex-mml-chtml.js"
# as in JupyterLab: $…$ is math also inside raw HTML (the folded solutions), not only in Sphinx's math spans
mathjax3_config = {
    "tex": {"inlineMath": [["$", "$"], [r"\(", r"\)"]], "processEscapes": True},
    "options": {"ignoreHtmlClass": "tex2jax_ignore|mathjax_ignore",
                "processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"},
}
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "force"
nb_execution_timeout = 900
nb_execution_raise_on_error = True
nb_ipywidgets_js = {}  # the apps render static images here: no widget JavaScript from a CDN
nb_merge_streams = True
exclude_patterns = ["_build"]
autodoc_member_order = "bysource"
suppress_warnings = ["myst.header", "misc.highlighting_failure"]


def _plain_bars(app, what, name, obj, options, lines):
    # the docstrings are plain text for help(): |x − y| is a distance, not a reST substitution (but inside
    # math, | stays as it is)
    in_math = False
    for i, line in enumerate(lines):
        if line.strip().startswith(".. math::"):
            in_math = True
            continue
        if in_math and line.strip() and not line.startswith((" ", "\t")):
            in_math = False
        if not in_math:
            parts = line.split("`")
            lines[i] = "`".join(p if k % 2 else p.replace("|", "\\|") for k, p in enumerate(parts))


def setup(app):
    app.connect("autodoc-process-docstring", _plain_bars)
"""


def lesson_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def home_page(names) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    # badges are images on other hosts: plain links here, so that the site loads nothing from outside
    text = re.sub(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]*)\)", r"[\1](\2)", text)
    for name in names:
        text = text.replace(f"(lessons/{name}.ipynb)", f"({name}.ipynb)")
    # other files of the repository: on GitHub (images are copied into the site)
    text = re.sub(
        r"\]\((?!https?:|#|docs/images/|[0-9][0-9]_)([^)]+)\)", rf"](https://github.com/{REPO}/blob/HEAD/\1)", text
    )
    toc = "\n".join(["", "```{toctree}", ":hidden:", ":maxdepth: 1", "", *names, "api", "```", ""])
    return text + toc


def with_buttons(name: str) -> dict:
    nb = json.loads((ROOT / "lessons" / f"{name}.ipynb").read_text(encoding="utf-8"))
    buttons = (
        f"[open in JupyterLab on Binder]({BINDER}lab/tree/lessons/{name}.ipynb) · "
        f"[lecture mode (Voilà) on Binder]({BINDER}voila/render/lessons/{name}.ipynb) · "
        f"[all lessons](index.md)"
    )
    for cell in nb["cells"]:  # the folded answers: markdown inside <details>, as JupyterLab renders it
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            text = re.sub(r"(<summary>.*?</summary>)[ \t]*\n?", r"\1\n\n", text)
            cell["source"] = re.sub(r"\n?[ \t]*</details>", "\n\n</details>", text)
    first = nb["cells"][0]
    src = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    lines = src.split("\n", 1)  # after the lesson's title
    first["source"] = lines[0] + "\n\n" + buttons + "\n" + (lines[1] if len(lines) > 1 else "")
    return nb


def api_page() -> str:
    import nmteach as nm
    from nmteach._params import PARAMETERS

    rows = ["| name | quantity | unit | accepted range |", "|---|---|---|---|"]
    for name, spec in PARAMETERS.items():
        rows.append(f"| `{name}` | {spec.description} | {spec.unit or '–'} | {spec.range_text()} |")
    return "\n".join(
        [
            "# API reference",
            "",
            "Every public name of `nmteach` (`import nmteach as nm`), from its docstring.",
            "",
            "## Units and ranges",
            "",
            "Currents in nA, potentials in mV, times in ms, resistances in MΩ, charges in pC, rates in Hz, distances in"
            " mm. Every argument is checked against this table before any work starts.",
            "",
            *rows,
            "",
            "## Public names",
            "",
            "```{eval-rst}",
            ".. currentmodule:: nmteach",
            "",
            *(f".. {_directive(getattr(nm, n))}:: {n}" for n in sorted(nm.__all__) if callable(getattr(nm, n))),
            "```",
            "",
            "## Settings",
            "",
            "* `nm.MEMORY_BUDGET`: bytes one computation may allocate (default 1 GB, about what a Binder machine leaves free); every "
            "builder and simulation checks it before it starts and refuses, saying how to shrink the computation.",
            "* `nm.PARAMETERS`: the table above, name → unit, meaning and accepted range.",
            f"* `nm.__version__`: {nm.__version__}.",
        ]
    )


#: MathJax 3's npm package, checked against its SHA-256
MATHJAX_URL = "https://registry.npmjs.org/mathjax/-/mathjax-3.2.2.tgz"
MATHJAX_SHA256 = "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09"


def mathjax() -> Path:
    """MathJax 3's browser build (its es5 folder, fonts included): from the npm registry once, then from build/."""
    cache = ROOT / "build" / "mathjax-3.2.2"
    es5 = cache / "package" / "es5"
    if not (es5 / "tex-mml-chtml.js").is_file():
        with urllib.request.urlopen(MATHJAX_URL, timeout=120) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != MATHJAX_SHA256:
            raise SystemExit(f"{MATHJAX_URL} does not have the expected SHA-256: not using it")
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(cache, filter="data")
    return es5


def _favicon(path: Path) -> None:
    """A 32-px icon: three of the lessons' colours (so the browser asks for no /favicon.ico)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(0.32, 0.32), dpi=100)
    for i, color in enumerate(("#0072B2", "#E69F00", "#009E73")):
        fig.add_axes((i / 3, 0, 1 / 3, 1)).set_facecolor(color)
    for ax in fig.axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.savefig(path)
    plt.close(fig)


def _directive(obj) -> str:
    import inspect

    if inspect.isclass(obj):
        return "autoclass"
    return "autofunction" if callable(obj) else "autodata"


def build(out: Path) -> Path:
    src = out.parent / (out.name + "-src")
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    (src / "_static").mkdir(parents=True)
    shutil.copytree(mathjax(), src / "_static" / "mathjax")
    shutil.copytree(ROOT / "docs" / "images", src / "docs" / "images")
    _favicon(src / "_static" / "favicon.png")
    names = lesson_names()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(home_page(names), encoding="utf-8")
    (src / "api.md").write_text(api_page(), encoding="utf-8")
    for name in names:
        (src / f"{name}.ipynb").write_text(json.dumps(with_buttons(name)), encoding="utf-8")
    env = {**os.environ, "NMTEACH_STATIC": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", str(src), str(out)]
    subprocess.run(cmd, check=True, env=env, cwd=src)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    out = build(parser.parse_args().out.resolve())
    print(f"the course website is in {out} (open index.html, or copy the folder to any static host)")


if __name__ == "__main__":
    main()
