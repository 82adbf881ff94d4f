"""Voilà pages need no CDN: the nmteach-offline template is installed, up to date and selected (fast; no browser).

``pip install -e .`` copies ``share/jupyter/voila/templates/nmteach-offline`` and ``etc/jupyter/voila.json`` into
the environment (hatch shared-data); an environment installed before they changed fails here: reinstall
(``make`` does it when they change).
"""

import json
from pathlib import Path

from voila.paths import collect_template_paths
from voila.server_extension import load_config_file

TEMPLATE = "nmteach-offline"
REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "share" / "jupyter" / "voila" / "templates" / TEMPLATE


def installed_template() -> Path | None:
    paths = [Path(p) for p in collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)]
    return next((p for p in paths if p.name == TEMPLATE and (p / "index.html.j2").is_file()), None)


def test_offline_template_is_installed_and_current():
    # found where Voilà looks (share/jupyter/voila/templates on the Jupyter data path) ...
    installed = installed_template()
    assert installed is not None, f"the {TEMPLATE} Voilà template is not installed: pip install -e . (or make)"
    # ... the same files as in the repository ...
    for source in sorted(SOURCE.iterdir()):
        copy = installed / source.name
        assert copy.is_file() and copy.read_bytes() == source.read_bytes(), (
            f"{copy} is missing or older than {source}: reinstall with pip install -e . (or make)"
        )
    # ... and based on Voilà's lab template
    assert json.loads((SOURCE / "conf.json").read_text(encoding="utf-8"))["base_template"] == "lab"
    paths = [Path(p) for p in collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)]
    assert any(p.name == "lab" and p.parent.name == "templates" for p in paths), paths


def test_voila_uses_it_on_both_routes():
    # voila.json on the Jupyter config path: read by `voila X.ipynb` and by the /voila/render server extension
    config = load_config_file()
    assert config is not None and config.VoilaConfiguration.template == TEMPLATE
