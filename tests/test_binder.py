"""Binder's files follow repo2docker's conventions: the pinned layer is built from binder/requirements.txt alone
(no local references, so it is cached across commits), binder/postBuild installs nmteach, and make test installs
exactly the same pins."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_lines(path):
    return [ln.strip() for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_binder_requirements_are_pins_only():
    lines = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert lines
    bad = [
        ln for ln in lines if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[a-z0-9,_-]+\])?==[A-Za-z0-9.+!-]+", ln)
    ]
    assert not bad, f"binder/requirements.txt must hold only name==version pins (repo2docker caches it then): {bad}"


def test_postbuild_installs_the_package_without_changing_the_pins():
    post = ROOT / "binder" / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    commands = [ln for ln in requirement_lines(post) if not ln.startswith("set ")]
    assert commands == ["python -m pip install --no-deps --no-cache-dir ."]


def test_make_test_installs_the_same_pins_and_the_package():
    assert "-r binder/requirements.txt" in requirement_lines(ROOT / "requirements-test.txt")
    assert "pip install --quiet --no-deps -e ." in (ROOT / "Makefile").read_text()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
