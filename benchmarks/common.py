"""Helpers shared by the benchmark scripts: SI formatting, plain-text tables, /proc fields."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["print_table", "proc_field", "si"]


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
