"""Speed and latency tables for nmteach (informative only: nothing here asserts a timing).

Usage::

    python benchmarks/run.py              # full run, a minute or two
    python benchmarks/run.py --quick      # N = 1,000 and 10,000 only, one repeat
    python benchmarks/run.py --json out.json

Four tables: the machine, the population simulator, the latency of the lesson
apps (control change → updated figure) and the import time of the package.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import matplotlib
from common import machine_info, print_header, print_table, si

matplotlib.use("Agg")  # before pyplot is imported anywhere (the apps import it)

import ipywidgets as widgets

import nmteach as nm
from nmteach.apps import ALL_APPS

REPO = Path(__file__).resolve().parent.parent

T_MAX = 1000.0  # ms of biological time
DT = 0.1  # ms
CONFIGS = ("noise-free, coupled", "white noise, coupled")
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
REPEATS = 3
ONE_RUN_IS_ENOUGH = 5.0  # s: a run slower than this is not repeated

#: (configuration, N) → target wall time in seconds
SIM_TARGETS = {("noise-free, coupled", 10_000): 0.3, ("noise-free, coupled", 100_000): 2.5}
APP_TARGET_MS = 100.0
IMPORT_TARGET_S = 0.3
IMPORT_REPEATS = 5


# ---------------------------------------------------------------- formatting


def verdict(value: float, target: float, unit: str, digits: int = 2) -> str:
    return f"≤ {target:.{digits}g} {unit}: {'met' if value <= target else 'missed'}"


# ---------------------------------------------------------------- population


def make_population(config: str, N: int) -> nm.Population:
    noise = nm.WhiteNoise(0.03) if config == "white noise, coupled" else None
    return nm.Population(N=N, J0=0.5, I_ext=0.2, kernel=nm.ExponentialKernel(1.0, 5.0), noise=noise)


def bench_population(sizes, repeats: int) -> list[dict]:
    for config in CONFIGS:  # warm-up: lazy imports and first-call costs stay out of the table
        nm.simulate(make_population(config, 100), 10.0, dt=DT, rng=1, record=0, record_spikes=True)
    results = []
    for N in sizes:
        for config in CONFIGS:
            pop = make_population(config, N)
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                res = nm.simulate(pop, T_MAX, dt=DT, rng=1, record=0, record_spikes=True)
                times.append(time.perf_counter() - t0)
                if times[0] > ONE_RUN_IS_ENOUGH:
                    break
            wall = statistics.median(times)
            n_steps = round(T_MAX / DT)
            results.append(
                {
                    "config": config,
                    "N": N,
                    "runs": len(times),
                    "times_s": times,
                    "wall_s": wall,
                    "spikes": res.n_spikes,
                    "rate_hz": res.n_spikes / N / (T_MAX / 1000.0),
                    "neuron_steps_per_s": N * n_steps / wall,
                    "spikes_per_s": res.n_spikes / wall,
                    "target_s": SIM_TARGETS.get((config, N)),
                    "rheobase_nA": nm.rheobase(pop.neuron),
                }
            )
    return results


def print_population(results: list[dict]) -> None:
    headers = ["configuration", "N", "runs", "wall (median)", "target", "spikes", "rate", "neuron-steps/s", "spikes/s"]
    rows = []
    for r in results:
        target = verdict(r["wall_s"], r["target_s"], "s") if r["target_s"] else ""
        rows.append(
            [
                r["config"],
                f"{r['N']:,}",
                r["runs"],
                f"{r['wall_s']:.3f} s",
                target,
                f"{r['spikes']:,}",
                f"{r['rate_hz']:.2f} Hz",
                si(r["neuron_steps_per_s"]),
                si(r["spikes_per_s"]),
            ]
        )
    notes = []
    for config in CONFIGS:
        silent = [r for r in results if r["config"] == config and r["spikes"] == 0]
        if silent:
            sizes = ", ".join(f"{r['N']:,}" for r in silent)
            notes.append(f"'{config}' fired no spike (N = {sizes}): these rows time sub-threshold integration only.")
    title = f"homogeneous population, {T_MAX / 1000:g} s of biological time at dt = {DT} ms"
    print_table(title, headers, rows, notes)


# ---------------------------------------------------------------- apps


def next_value(widget):
    """A value one step away from the widget's current one (the next option, or ± step within range)."""
    if isinstance(widget, (widgets.Dropdown, widgets.SelectionSlider)):
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in widget.options]
        return values[(values.index(widget.value) + 1) % len(values)]
    if isinstance(widget, (widgets.FloatSlider, widgets.IntSlider)):
        up = widget.value + widget.step
        new = up if up <= widget.max else widget.value - widget.step
        return round(new, 12) if isinstance(new, float) else new
    raise TypeError(f"don't know how to step a {type(widget).__name__}")


def time_change(app, name: str, value) -> dict:
    """One control change: app.set runs the model, updates the artists and asks for a redraw.

    Under Agg, draw_idle renders at once, so app.set includes exactly one render; should a
    backend defer it, the explicit draw below is timed as part of the change.
    """
    renders = []
    cid = app.fig.canvas.mpl_connect("draw_event", lambda event: renders.append(event))
    try:
        t0 = time.perf_counter()
        app.set(**{name: value})
        t1 = time.perf_counter()
        if not renders:
            app.fig.canvas.draw()
        t2 = time.perf_counter()
    finally:
        app.fig.canvas.mpl_disconnect(cid)
    ok = app.error is None
    if not ok:
        print(f"WARNING: {type(app).__name__}.set({name}={value!r}) failed: {app.error!r}", file=sys.stderr)
    return {
        "control": name,
        "value": value,
        "total_ms": (t2 - t0) * 1e3,
        "set_ms": (t1 - t0) * 1e3,
        "model_ms": app.seconds * 1e3 if ok else None,  # app.seconds is stale after an error
        "renders": len(renders),
        "error": None if ok else repr(app.error),
    }


def summarize_changes(changes: list[dict]) -> dict:
    total = [c["total_ms"] for c in changes]
    model = [c["model_ms"] for c in changes if c["model_ms"] is not None]
    render = [c["total_ms"] - c["model_ms"] for c in changes if c["model_ms"] is not None]
    slowest = max(changes, key=lambda c: c["total_ms"])
    return {
        "changes": len(changes),
        "median_ms": statistics.median(total),
        "min_ms": min(total),
        "max_ms": max(total),
        "slowest_control": slowest["control"],
        "model_ms": statistics.median(model) if model else None,
        "render_ms": statistics.median(render) if render else None,
        "renders_per_change": statistics.median(c["renders"] for c in changes),
        "errors": sum(c["error"] is not None for c in changes),
    }


def bench_apps() -> dict:
    import matplotlib.pyplot as plt

    apps = []
    for cls in ALL_APPS:
        t0 = time.perf_counter()
        app = cls()
        build_s = time.perf_counter() - t0
        changes = []
        for name, widget in app.controls.items():
            default = widget.value
            changes.append(time_change(app, name, next_value(widget)))
            changes.append(time_change(app, name, default))
        plt.close(app.fig)
        apps.append(
            {"app": cls.__name__, "build_s": build_s, "summary": summarize_changes(changes), "changes": changes}
        )
    everything = [c for a in apps for c in a["changes"]]
    return {"apps": apps, "all": summarize_changes(everything)}


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f} ms"


def print_apps(results: dict) -> None:
    headers = ["app", "build", "changes", "median", "target", "min", "max (control)", "model", "render"]
    headers += ["renders/change", "errors"]
    labelled = [(a["app"], f"{a['build_s'] * 1e3:.0f} ms", a["summary"]) for a in results["apps"]]
    labelled.append(("all apps", "", results["all"]))
    rows = [
        [
            label,
            build,
            s["changes"],
            _ms(s["median_ms"]),
            verdict(s["median_ms"], APP_TARGET_MS, "ms", 3),
            _ms(s["min_ms"]),
            f"{_ms(s['max_ms'])} ({s['slowest_control']})",
            _ms(s["model_ms"]),
            _ms(s["render_ms"]),
            f"{s['renders_per_change']:g}",
            s["errors"],
        ]
        for label, build, s in labelled
    ]
    notes = [
        "each control moves one step from its default and back; a change is app.set(...) including one full render.",
        "model = app.seconds (model + artist updates); render = total − model.",
    ]
    print_table("control change → updated figure (kernel side, Agg backend)", headers, rows, notes)


# ---------------------------------------------------------------- import time


IMPORTS = {
    "numpy, matplotlib, pyplot": "import numpy, matplotlib, matplotlib.pyplot",
    "numpy, matplotlib, pyplot, nmteach": "import numpy, matplotlib, matplotlib.pyplot, nmteach",
}


def bench_import(repeats: int) -> dict:
    env = {**os.environ, "MPLBACKEND": "Agg"}

    def run(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env)
        return time.perf_counter() - t0

    for code in IMPORTS.values():  # warm the file-system cache
        run(code)
    times = {label: [] for label in IMPORTS}
    for _ in range(repeats):  # interleaved, so that a burst of load hits both alike
        for label, code in IMPORTS.items():
            times[label].append(run(code))
    medians = {label: statistics.median(t) for label, t in times.items()}
    base, with_nm = medians.values()
    return {"times_s": times, "median_s": medians, "difference_s": with_nm - base}


def print_import(result: dict, repeats: int) -> None:
    rows = [[label, f"{m:.3f} s", ""] for label, m in result["median_s"].items()]
    diff = result["difference_s"]
    rows.append(["difference (nmteach)", f"{diff:.3f} s", verdict(diff, IMPORT_TARGET_S, "s")])
    notes = [f"wall time of `python -c ...` in a fresh subprocess, median of {repeats} (interpreter start included)."]
    print_table("import time", ["imports", "median", "target"], rows, notes)


# ---------------------------------------------------------------- networks, space, fields


def _timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_models(repeats: int) -> list[dict]:
    """The workloads with targets in the lessons on pools, space and fields."""
    from nmteach.models import NEURON_E, NEURON_I

    rows = []
    kernel = nm.ExponentialKernel(1.0, 1.0)
    groups = (
        nm.Group("E", 4000, neuron=NEURON_E, I_ext=0.14, noise=nm.WhiteNoise(0.03)),
        nm.Group("I", 1000, neuron=NEURON_I, I_ext=0.1, noise=nm.WhiteNoise(0.03)),
    )
    J = {("E", "E"): 3.0, ("I", "E"): -6.0, ("E", "I"): 6.0, ("I", "I"): -1.0}  # (source, target): J
    net = nm.Network(groups, [nm.Projection(s, t, J=v, kernel=kernel) for (s, t), v in J.items()])
    wall, res = _timed(lambda: nm.simulate(net, 1000.0, dt=0.1, rng=1, record=0), repeats)
    rows.append(
        {
            "what": "two pools, 4,000 E + 1,000 I, noise, 1 s",
            "wall_s": wall,
            "target_s": 1.0,
            "detail": f"A_E {res.group('E')['A'].mean():.1f} Hz, A_I {res.group('I')['A'].mean():.1f} Hz",
        }
    )

    sheet = nm.Sheet.random(10_000, 1.0, rng=1)
    sigma = (100 / (0.5 * 2 * math.pi * 10_000)) ** 0.5  # about 100 partners
    wall, conn = _timed(lambda: nm.distance_connectivity(sheet, nm.GaussianProbability(0.5, sigma), rng=2), repeats)
    rows.append(
        {
            "what": "sheet, N = 10,000, Gaussian P, build",
            "wall_s": wall,
            "target_s": 1.0,
            "detail": f"{conn.nnz / sheet.N:.1f} partners per neuron, {conn.nnz * 12 / 1e6:.0f} MB",
        }
    )
    scaled = nm.Connectivity(conn.indptr, conn.targets, conn.weights * 2.5 / 100, conn.n_source, conn.n_target)
    sheet_net = nm.Network(
        (nm.Group("sheet", sheet.N, I_ext=0.1, noise=nm.WhiteNoise(0.02)),),
        (nm.Projection("sheet", "sheet", connectivity=scaled, kernel=nm.ExponentialKernel(1.0, 5.0), delay=1.0),),
    )
    wall, res = _timed(lambda: nm.simulate(sheet_net, 1000.0, dt=0.1, rng=3, record=0), repeats)
    rows.append(
        {
            "what": "sheet, N = 10,000, 1 s simulation",
            "wall_s": wall,
            "target_s": 2.0,
            "detail": f"mean rate {res.n_spikes / res.N:.1f} Hz",
        }
    )

    field = nm.NeuralField(nm.MexicanHatCoupling(), nm.HeavisideRate(), M=1024)
    wall, _ = _timed(lambda: nm.simulate_field(field, 100 * field.tau), repeats)
    rows.append({"what": "1D field, 1,024 points, 100 τ", "wall_s": wall, "target_s": 0.2, "detail": ""})
    return rows


def print_models(rows: list[dict]) -> None:
    table = [[r["what"], f"{r['wall_s']:.3f} s", verdict(r["wall_s"], r["target_s"], "s"), r["detail"]] for r in rows]
    print_table("pools, space and fields", ["workload", "wall (median)", "target", "detail"], table)


# ---------------------------------------------------------------- main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only N = 1,000 and 10,000, one repeat")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the results as JSON to PATH")
    args = parser.parse_args(argv)

    info = machine_info()
    print_header("nmteach benchmarks" + (" (--quick)" if args.quick else ""), info)

    population = bench_population(QUICK_SIZES if args.quick else SIZES, 1 if args.quick else REPEATS)
    print_population(population)

    models = bench_models(1 if args.quick else REPEATS)
    print_models(models)

    apps = bench_apps()
    print_apps(apps)

    imports = bench_import(IMPORT_REPEATS)
    print_import(imports, IMPORT_REPEATS)

    if args.json:
        report = {
            "machine": info,
            "quick": args.quick,
            "population": population,
            "models": models,
            "apps": apps,
            "import": imports,
        }
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")


if __name__ == "__main__":
    main()
