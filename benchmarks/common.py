"""Helpers shared by the benchmark scripts: the machine and its header, SI formatting, plain-text tables."""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import os
import platform
import shutil
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

__all__ = ["machine_info", "nmteach_fingerprint", "print_header", "print_table", "proc_field", "si", "version"]


def si(x: float, unit: str = "") -> str:
    """3 significant digits with an SI prefix: 1.23e9 → '1.23 G'."""
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= factor:
            return f"{x / factor:.3g} {prefix}{unit}"
    return f"{x:.3g} {unit}".rstrip()


def print_table(title: str, headers: list[str], rows: list[list], notes: Sequence[str] = ()) -> None:
    """Aligned plain-text columns: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        first = f"{cells[0]!s:<{widths[0]}}"
        rest = [f"{c!s:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    print()
    print(title)
    print("=" * len(title))
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    for note in notes:
        print(f"note: {note}")


# ---------------------------------------------------------------- machine


def proc_field(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            for row in f:
                name, _, value = row.partition(":")
                if name.strip() == key:
                    return value.strip()
    except OSError:
        pass
    return None


def version(dist: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def nmteach_fingerprint() -> str | None:
    """A hash of nmteach's source files, to tell which version of the engine a table measured."""
    spec = importlib.util.find_spec("nmteach")
    if spec is None or not spec.submodule_search_locations:
        return None
    digest = hashlib.sha256()
    for path in sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info(distributions: Sequence[str] = ("numpy", "matplotlib", "nmteach")) -> dict:
    """The machine, its load at the start, and the versions of ``distributions`` (None where not installed)."""
    mem_kb = proc_field("/proc/meminfo", "MemTotal")  # "16318452 kB"
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": int(mem_kb.split()[0]) / 2**20 if mem_kb else None,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "versions": {d: version(d) for d in distributions},
        "compiler": shutil.which("g++") or shutil.which("c++"),
        "nmteach_source": nmteach_fingerprint(),
    }


def print_header(title: str, info: dict, extra: Sequence[str] = ()) -> None:
    """The title, the machine and the versions, then ``extra`` lines (already formatted)."""
    ram = f"{info['ram_gib']:.1f} GiB" if info["ram_gib"] else "unknown"
    load = " / ".join(f"{x:.2f}" for x in info["load_average"]) if info["load_average"] else "unknown"
    versions = ", ".join(
        f"{k} {v}" + (f" (source {info['nmteach_source']})" if k == "nmteach" and info["nmteach_source"] else "")
        for k, v in info["versions"].items()
        if v
    )
    print(title)
    print(f"  date        {info['date']}")
    print(f"  platform    {info['platform']}")
    print(f"  CPU         {info['cpu']}")
    print(f"  cores       {info['cores']} (os.cpu_count)")
    print(f"  RAM         {ram}")
    print(f"  load avg    {load} (1 / 5 / 15 min, at start)")
    print(f"  versions    Python {info['python']}, {versions}")
    for line in extra:
        print(f"  {line}")
    print("  This machine may be shared and noisy: compare ratios measured in the same run.")
    print("  Targets are informative, never asserted.")
