"""Brunel (2000) sparse E/I network, as NEST's brunel_delta example: nmteach vs NEST and Brian2 (informative only).

Usage::

    python benchmarks/brunel.py                   # every simulator installed; N = 12,500 and 2,500, median of 3
    python benchmarks/brunel.py --quick           # N = 2,500 only, one repeat
    python benchmarks/brunel.py --json out.json   # also write everything as JSON
    make bench-brunel                             # in .venv-bench, with NEST and Brian2 (requirements-bench.txt)

The model is the one of ``pynest/examples/brunel_delta_nest.py`` (NEST 3.10): 10,000 excitatory and
2,500 inhibitory ``iaf_psc_delta`` neurons, fixed in-degree C_E = 1,000 and C_I = 250 (multapses and
autapses allowed, NEST's default), PSP jumps J = 0.1 mV and -gJ with g = 5, delay 1.5 ms, tau_m = 20 ms,
theta = 20 mV, E_L = 0, V_reset = 0 mV (the example's value; Brunel (2000) and Brian2's example use
10 mV: ``--v-reset 10``), t_ref = 2 ms, V_m(0) = 0 for every neuron, independent Poisson input of
C_E·eta·nu_thr per neuron with eta = 2 and nu_thr = theta / (J C_E tau_m), dt = 0.1 ms, 1 s. The
scaled-down network has N_E = 2,000, N_I = 500, C_E = 200, C_I = 50 and J = 0.5 mV (J·C_E unchanged).

Every run is a fresh subprocess, so import time and peak memory (ru_maxrss) belong to one simulator.
Simulators that are not installed are skipped with a note: with nmteach alone the script still runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brunel_model import (
    DELAY,
    DT,
    E_L,
    ETA,
    SIZES,
    T_REF,
    T_SIM,
    TAU_M,
    THETA,
    V_M0,
    V_RESET,
    G,
    build_nmteach,
    nu_ext_hz,
    out_degrees,
)
from common import machine_info, nmteach_fingerprint, print_header, print_table, si, version

REPO = Path(__file__).resolve().parent.parent
WORKDIR = REPO / "benchmarks" / "results" / "brunel"  # Brian2's caches and builds (ignored by git)

REPEATS = 3
SLOW_RUN_S = 60.0  # a simulator whose run takes longer is not repeated

#: informative targets (never asserted)
TARGET_VS_NEST = 0.3  # nmteach end-to-end / NEST (1 thread) end-to-end
TARGET_VS_BRIAN2 = 0.5  # nmteach end-to-end / Brian2's fastest warm mode
TARGET_SMALL_S = 1.0  # N = 2,500 end-to-end
TARGET_RATE = 0.05  # relative difference of the E and I rates from NEST's
TARGET_RSS_GB = 1.0  # peak memory (10^9 bytes)


# ---------------------------------------------------------------- runners (each in its own subprocess)


def run_nmteach(p: dict, seed: int, v_reset: float, layout: str) -> dict:
    import numpy as np

    import nmteach as nm

    t_import = time.perf_counter()
    net, sim_rng = build_nmteach(p, seed, v_reset, layout)
    t_build = time.perf_counter()
    res = nm.simulate(net, T_SIM, dt=DT, rng=sim_rng, record=0, record_spikes=True)
    t_sim = time.perf_counter()
    NE, NI = p["NE"], p["NI"]
    if layout == "one":
        n_E = int(np.count_nonzero(res.spike_ids < NE))
        n_I = res.n_spikes - n_E
    else:
        seconds = T_SIM / 1000.0
        n_E = round(float(res.group("E")["A"].mean()) * NE * seconds)
        n_I = round(float(res.group("I")["A"].mean()) * NI * seconds)
    return {"t_import": t_import, "t_build": t_build, "t_sim": t_sim, "n_E": n_E, "n_I": n_I}


def profile_nmteach(size: str, seed: int, v_reset: float, layout: str, min_share: float = 0.01) -> None:
    """Where nmteach's time loop spends its time: line_profiler on the engine if it is installed, else cProfile."""
    import nmteach as nm
    from nmteach.engine.loop import Engine
    from nmteach.engine.projections import SparseDelta

    net, sim_rng = build_nmteach(SIZES[size], seed, v_reset, layout)
    n_steps = round(T_SIM / DT)
    print(f"profile of nmteach, N = {int(size):,}, layout {layout!r}, {n_steps:,} steps")
    try:
        from line_profiler import LineProfiler
    except ImportError:
        import cProfile
        import pstats

        print("(line_profiler is not installed: cProfile by function; `pip install line_profiler` for lines)")
        prof = cProfile.Profile()
        prof.runcall(nm.simulate, net, T_SIM, dt=DT, rng=sim_rng, record=0, record_spikes=True)
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        return
    import inspect

    lp = LineProfiler()
    functions = [Engine.run, Engine._refractory, Engine._spikes, SparseDelta.deliver, SparseDelta.arrive]
    for f in functions:
        lp.add_function(f)
    lp.runcall(nm.simulate, net, T_SIM, dt=DT, rng=sim_rng, record=0, record_spikes=True)
    stats = lp.get_stats()
    for f in functions:
        code = f.__code__
        timings = next(v for (fn, line, name), v in stats.timings.items() if line == code.co_firstlineno)
        total = sum(t for _, _, t in timings) * stats.unit
        lines, first = inspect.getsourcelines(f)
        print(f"\n{f.__qualname__}: {total:.2f} s in all, {total / n_steps * 1e6:.0f} µs per step")
        print(f"{'line':>6}  {'hits':>7}  {'µs/step':>8}  {'share':>6}  code")
        for lineno, hits, t in sorted(timings, key=lambda x: -x[2]):
            share = t * stats.unit / total
            if share < min_share:
                continue
            code_line = lines[lineno - first].strip()[:90]
            print(f"{lineno:>6}  {hits:>7}  {t * stats.unit / n_steps * 1e6:>8.1f}  {share:>6.1%}  {code_line}")


def run_nest(p: dict, seed: int, v_reset: float, threads: int) -> dict:
    import nest

    t_import = time.perf_counter()
    NE, NI, CE, CI, J = p["NE"], p["NI"], p["CE"], p["CI"], p["J"]
    nest.ResetKernel()
    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.WARNING
    else:  # NEST < 3.9
        nest.set_verbosity("M_WARNING")
    nest.SetKernelStatus({"resolution": DT, "local_num_threads": threads, "rng_seed": seed, "print_time": False})
    params = {"C_m": 1.0, "tau_m": TAU_M, "t_ref": T_REF, "E_L": E_L, "V_reset": v_reset, "V_m": V_M0, "V_th": THETA}
    nodes_ex = nest.Create("iaf_psc_delta", NE, params=params)
    nodes_in = nest.Create("iaf_psc_delta", NI, params=params)
    noise = nest.Create("poisson_generator", params={"rate": nu_ext_hz(p) * CE})
    espikes = nest.Create("spike_recorder")
    ispikes = nest.Create("spike_recorder")
    nest.CopyModel("static_synapse", "excitatory", {"weight": J, "delay": DELAY})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": -G * J, "delay": DELAY})
    nest.Connect(noise, nodes_ex, syn_spec="excitatory")
    nest.Connect(noise, nodes_in, syn_spec="excitatory")
    # the example records the first 50 neurons of each population; every spike is counted here
    nest.Connect(nodes_ex, espikes, syn_spec="excitatory")
    nest.Connect(nodes_in, ispikes, syn_spec="excitatory")
    nest.Connect(nodes_ex, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": CE}, "excitatory")
    nest.Connect(nodes_in, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": CI}, "inhibitory")
    t_build = time.perf_counter()
    nest.Simulate(T_SIM)
    t_sim = time.perf_counter()
    return {
        "t_import": t_import,
        "t_build": t_build,
        "t_sim": t_sim,
        "n_E": int(espikes.n_events),
        "n_I": int(ispikes.n_events),
        "version": nest.__version__,
    }


_MAXRSS_WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(rc)"
)


def run_brian2(p: dict, seed: int, v_reset: float, target: str, size: str) -> dict:
    import brian2 as b2
    import numpy as np

    t_import = time.perf_counter()
    NE, NI, CE, CI, J = p["NE"], p["NI"], p["CE"], p["CI"], p["J"]
    N = NE + NI
    build_dir = WORKDIR / f"brian2-standalone-{size}"
    rss_file = build_dir / "binary_maxrss.txt"
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=str(build_dir), build_on_run=False)
        # the binary runs through a small wrapper that records its ru_maxrss: RUSAGE_CHILDREN of this
        # (large) process cannot, since a forked child starts from its parent's high-water mark
        b2.prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, "-c", _MAXRSS_WRAPPER, str(rss_file), "./main"]
    else:
        b2.prefs.codegen.target = target
        b2.prefs.codegen.runtime.cython.cache_dir = str(WORKDIR / "brian2-cython-cache")
    b2.seed(seed)
    b2.defaultclock.dt = DT * b2.ms
    rng = np.random.default_rng(seed)
    ns = {"tau": TAU_M * b2.ms, "theta": THETA * b2.mV, "V_r": v_reset * b2.mV, "J": J * b2.mV, "g": G}
    neurons = b2.NeuronGroup(
        N,
        "dv/dt = -v / tau : volt (unless refractory)",
        threshold="v >= theta",
        reset="v = V_r",
        refractory=T_REF * b2.ms,
        method="exact",
        namespace=ns,
    )
    neurons.v = V_M0 * b2.mV
    # like NEST's iaf_psc_delta, a refractory neuron ignores its input
    exc = b2.Synapses(neurons[:NE], neurons, on_pre="v_post += J * int(not_refractory_post)", delay=DELAY * b2.ms)
    exc.connect(i=rng.integers(0, NE, size=N * CE, dtype=np.int32), j=np.repeat(np.arange(N, dtype=np.int32), CE))
    inh = b2.Synapses(neurons[NE:], neurons, on_pre="v_post += -g * J * int(not_refractory_post)", delay=DELAY * b2.ms)
    inh.connect(i=rng.integers(0, NI, size=N * CI, dtype=np.int32), j=np.repeat(np.arange(N, dtype=np.int32), CI))
    poisson = b2.PoissonInput(neurons, "v", N=CE, rate=nu_ext_hz(p) * b2.Hz, weight="J * int(not_refractory)")
    spikes = b2.SpikeMonitor(neurons)
    net = b2.Network(neurons, exc, inh, poisson, spikes)
    t_build = time.perf_counter()
    net.run(T_SIM * b2.ms, namespace=ns)
    out = {}
    if target == "cpp_standalone":
        b2.device.build(directory=str(build_dir), compile=True, run=True, clean=False)
        out["binary_run_s"] = float(b2.device._last_run_time)  # the compiled network's run loop
        out["rss_binary_bytes"] = int(rss_file.read_text(encoding="utf-8")) * 1024
    t_sim = time.perf_counter()
    if target == "cpp_standalone":  # simulate = the binary's run loop; code generation and make count as build
        t_build = t_sim - out["binary_run_s"]
    ids = np.asarray(spikes.i[:])
    n_E = int(np.count_nonzero(ids < NE))
    out.update(t_import=t_import, t_build=t_build, t_sim=t_sim, n_E=n_E, n_I=int(ids.size) - n_E)
    out["version"] = b2.__version__
    return out


def child(spec: dict, out_path: Path) -> None:
    """Run one simulation and write its timings as JSON (called in a fresh interpreter)."""
    t0 = time.perf_counter()
    p = SIZES[spec["size"]]
    if spec["sim"] == "nmteach":
        r = run_nmteach(p, spec["seed"], spec["v_reset"], spec["layout"])
    elif spec["sim"] == "nest":
        r = run_nest(p, spec["seed"], spec["v_reset"], spec["threads"])
    else:
        r = run_brian2(p, spec["seed"], spec["v_reset"], spec["target"], spec["size"])
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    t_import, t_build, t_sim = r.pop("t_import"), r.pop("t_build"), r.pop("t_sim")
    r.update(
        import_s=t_import - t0,
        build_s=t_build - t_import,
        sim_s=r.pop("binary_run_s", t_sim - t_build),
        end_to_end_s=t_sim - t0,
        rss_self_bytes=me,
        peak_rss_bytes=me + r.get("rss_binary_bytes", 0),
    )
    out_path.write_text(json.dumps(r), encoding="utf-8")


# ---------------------------------------------------------------- simulators


#: label → how to run it; "family" is the package it needs
SIMULATORS = {
    "nmteach": {"family": "nmteach", "sim": "nmteach", "layout": "one"},
    "nmteach, 4 projections": {"family": "nmteach", "sim": "nmteach", "layout": "four"},
    "NEST, 1 thread": {"family": "nest", "sim": "nest", "threads": 1},
    "NEST, 2 threads": {"family": "nest", "sim": "nest", "threads": 2},
    "Brian2 numpy": {"family": "brian2", "sim": "brian2", "target": "numpy"},
    "Brian2 cython (warm)": {"family": "brian2", "sim": "brian2", "target": "cython", "warm_up": True},
    "Brian2 cpp_standalone (warm)": {"family": "brian2", "sim": "brian2", "target": "cpp_standalone", "warm_up": True},
}
NEST_REF = "NEST, 1 thread"
PACKAGES = {"nmteach": "nmteach", "nest": "nest-simulator", "brian2": "Brian2"}
MODULES = {"nmteach": "nmteach", "nest": "nest", "brian2": "brian2"}


def probe(families: Sequence[str]) -> tuple[dict, list[str]]:
    """Which simulator families can run here; notes say why the others are skipped."""
    ok, notes = {}, []
    for fam in families:
        if importlib.util.find_spec(MODULES[fam]) is None:
            ok[fam] = False
            notes.append(
                f"{PACKAGES[fam]} is not installed: its rows are skipped "
                "(`make bench-brunel` builds .venv-bench from requirements-bench.txt with NEST and Brian2)."
            )
            continue
        if fam == "nmteach":
            ok[fam] = True
            continue
        r = subprocess.run([sys.executable, "-c", f"import {MODULES[fam]}"], capture_output=True, text=True)
        ok[fam] = r.returncode == 0
        if not ok[fam]:
            last = (r.stderr.strip().splitlines() or ["(no message)"])[-1]
            hint = ""
            if fam == "brian2":
                hint = f" (Brian2 2.9 needs numpy < 2.4, this is numpy {version('numpy')}: `make bench-brunel`)"
            notes.append(f"{PACKAGES[fam]} is installed but does not import{hint}, skipped: {last}")
    return ok, notes


def compiler_note(target: str) -> str | None:
    need = ["c++"] if target == "cython" else ["c++", "make"]
    missing = [tool for tool in need if shutil.which(tool) is None and not (tool == "c++" and shutil.which("g++"))]
    return f"Brian2 {target} needs {', '.join(missing)}, which is not on PATH: skipped." if missing else None


def launch(spec: dict, timeout: float = 1800.0) -> dict:
    """One run in a fresh interpreter; returns its JSON, or {"error": ...}."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec), "--out", str(out)]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            lines = proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or ["(no output)"]
            return {"error": f"exit code {proc.returncode}: {lines[-1]}", "stderr_tail": lines[-20:]}
        r = json.loads(out.read_text(encoding="utf-8"))
        r["process_s"] = wall
        return r


# ---------------------------------------------------------------- measuring


def bench(sizes: Sequence[str], labels: Sequence[str], repeats: int, v_reset: float, seed: int) -> dict:
    """Interleaved repeats (so that a burst of load hits every simulator alike); results by size and label."""
    results = {size: {} for size in sizes}
    for size in sizes:
        spec_of = {}
        for label in labels:
            s = SIMULATORS[label]
            spec_of[label] = {k: v for k, v in s.items() if k not in ("family", "warm_up")}
            spec_of[label].update(size=size, v_reset=v_reset)
            results[size][label] = {"runs": [], "first_run": None, "error": None}
            if s.get("warm_up"):  # compile once (Brian2's cache or standalone build): not timed in the table
                print(f"  N = {int(size):,}: {label}: warm-up run (compiles if the cache is cold) ...", flush=True)
                r = launch({**spec_of[label], "seed": seed})
                results[size][label]["first_run"] = r
                if "error" in r:
                    results[size][label]["error"] = r["error"]
        for rep in range(repeats):
            for label in labels:
                entry = results[size][label]
                if entry["error"] or (entry["runs"] and entry["runs"][0]["end_to_end_s"] > SLOW_RUN_S):
                    continue
                print(f"  N = {int(size):,}: {label}: run {rep + 1} of {repeats} ...", flush=True)
                r = launch({**spec_of[label], "seed": seed + rep})
                if "error" in r:
                    entry["error"] = r["error"]
                    entry["stderr_tail"] = r.get("stderr_tail")
                else:
                    entry["runs"].append(r)
    for size in sizes:
        p = SIZES[size]
        out_E, out_I = out_degrees(p)
        for entry in results[size].values():
            runs = entry["runs"]
            if not runs:
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in ("end_to_end_s", "import_s", "build_s", "sim_s")}
            seconds = T_SIM / 1000.0
            rate_E = statistics.mean(r["n_E"] for r in runs) / p["NE"] / seconds
            rate_I = statistics.mean(r["n_I"] for r in runs) / p["NI"] / seconds
            events = [r["n_E"] * out_E + r["n_I"] * out_I for r in runs]
            entry.update(
                med,
                rate_E_hz=rate_E,
                rate_I_hz=rate_I,
                events_per_wall_s=statistics.median(e / r["sim_s"] for e, r in zip(events, runs, strict=True)),
                events_per_bio_s=statistics.mean(events) / seconds,
                peak_rss_bytes=max(r["peak_rss_bytes"] for r in runs),
            )
    return results


# ---------------------------------------------------------------- formatting


def _ratio(x: float | None, ref: float | None) -> str:
    return f"{x / ref:.2f}×" if x is not None and ref else "—"


def references(table: dict) -> tuple[float | None, str | None]:
    """(NEST 1-thread end-to-end, label of Brian2's fastest mode)."""
    nest = table.get(NEST_REF, {}).get("end_to_end_s")
    brian = [(e["end_to_end_s"], lab) for lab, e in table.items() if lab.startswith("Brian2") and e.get("runs")]
    return nest, (min(brian)[1] if brian else None)


def best_nmteach(table: dict) -> str | None:
    mine = [(e["end_to_end_s"], lab) for lab, e in table.items() if lab.startswith("nmteach") and e.get("runs")]
    return min(mine)[1] if mine else None


def print_results(results: dict, repeats: int) -> list[str]:
    headers = ["simulator", "runs", "end-to-end", "import", "build", "simulate", "E rate", "I rate"]
    headers += ["events/s", "events/bio s", "peak RSS", "× NEST 1 thr", "× Brian2 best"]
    slow = []
    for size, table in results.items():
        nest_ref, brian_best = references(table)
        brian_ref = table[brian_best]["end_to_end_s"] if brian_best else None
        rows, notes = [], []
        for label, e in table.items():
            if not e["runs"]:
                rows.append([label, 0, *["—"] * (len(headers) - 2)])
                notes.append(f"{label}: {e['error']}")
                continue
            if len(e["runs"]) < repeats:
                slow.append(f"N = {int(size):,}, {label}")
            rows.append(
                [
                    label,
                    len(e["runs"]),
                    f"{e['end_to_end_s']:.2f} s",
                    f"{e['import_s']:.2f} s",
                    f"{e['build_s']:.2f} s",
                    f"{e['sim_s']:.2f} s",
                    f"{e['rate_E_hz']:.2f} Hz",
                    f"{e['rate_I_hz']:.2f} Hz",
                    si(e["events_per_wall_s"]),
                    si(e["events_per_bio_s"]),
                    f"{e['peak_rss_bytes'] / 1e6:.0f} MB",
                    _ratio(e["end_to_end_s"], nest_ref),
                    _ratio(e["end_to_end_s"], brian_ref),
                ]
            )
            if e.get("error"):
                notes.append(f"{label}: a later run failed: {e['error']}")
            first = e.get("first_run")
            if first and "end_to_end_s" in first:
                notes.append(f"{label}: the untimed warm-up run took {first['end_to_end_s']:.1f} s end-to-end.")
        if brian_best:
            notes.append(f"Brian2's fastest mode here: {brian_best}.")
        one, two = table.get(NEST_REF, {}), table.get("NEST, 2 threads", {})
        if one.get("runs") and two.get("runs") and two["sim_s"] > one["sim_s"]:
            notes.append(
                "NEST was slower with 2 threads than with 1: its OpenMP threads spin while they wait, which "
                "a busy machine punishes (see the load average); OMP_WAIT_POLICY=PASSIVE avoids it."
            )
        p = SIZES[size]
        title = (
            f"N = {int(size):,} (N_E = {p['NE']:,}, N_I = {p['NI']:,}, C_E = {p['CE']:,}, C_I = {p['CI']}, "
            f"J = {p['J']} mV), {T_SIM / 1000:g} s at dt = {DT} ms, median of {repeats}"
        )
        print_table(title, headers, rows, notes)
    return slow


def print_targets(results: dict) -> list[dict]:
    rows, report = [], []

    def add(what: str, value: str, ok: bool | None):
        verdict = "n/a" if ok is None else ("met" if ok else "missed")
        rows.append([what, value, verdict])
        report.append({"target": what, "value": value, "verdict": verdict})

    for size, table in results.items():
        n = f"N = {int(size):,}"
        mine = best_nmteach(table)
        if mine is None:
            continue
        e = table[mine]
        nest_ref, brian_best = references(table)
        if nest_ref:
            r = e["end_to_end_s"] / nest_ref
            add(f"{n}: nmteach end-to-end ≤ {TARGET_VS_NEST} × NEST (1 thread)", f"{r:.2f}×", r <= TARGET_VS_NEST)
        else:
            add(f"{n}: nmteach end-to-end ≤ {TARGET_VS_NEST} × NEST (1 thread)", "NEST not measured", None)
        if brian_best:
            r = e["end_to_end_s"] / table[brian_best]["end_to_end_s"]
            what = f"{n}: nmteach end-to-end ≤ {TARGET_VS_BRIAN2} × Brian2 fastest warm ({brian_best})"
            add(what, f"{r:.2f}×", r <= TARGET_VS_BRIAN2)
        else:
            add(f"{n}: nmteach end-to-end ≤ {TARGET_VS_BRIAN2} × Brian2 fastest warm mode", "Brian2 not measured", None)
        if size == "2500":
            add(
                f"{n}: nmteach end-to-end ≤ {TARGET_SMALL_S:g} s",
                f"{e['end_to_end_s']:.2f} s",
                e["end_to_end_s"] <= TARGET_SMALL_S,
            )
        if nest_ref:
            ref = table[NEST_REF]
            dE = e["rate_E_hz"] / ref["rate_E_hz"] - 1
            dI = e["rate_I_hz"] / ref["rate_I_hz"] - 1
            ok = max(abs(dE), abs(dI)) <= TARGET_RATE
            add(f"{n}: nmteach E and I rates within {TARGET_RATE:.0%} of NEST's", f"{dE:+.1%} / {dI:+.1%}", ok)
        else:
            add(f"{n}: nmteach E and I rates within {TARGET_RATE:.0%} of NEST's", "NEST not measured", None)
        gb = e["peak_rss_bytes"] / 1e9
        add(f"{n}: nmteach peak memory ≤ {TARGET_RSS_GB:g} GB", f"{gb:.2f} GB", gb <= TARGET_RSS_GB)
    notes = ["nmteach = the faster of its two layouts in each table."]
    print_table("targets (informative)", ["target", "value", "verdict"], rows, notes)
    return report


# ---------------------------------------------------------------- main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the N = 2,500 network, one repeat")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the results as JSON to PATH")
    parser.add_argument(
        "--simulators",
        default="nmteach,nest,brian2",
        help="comma-separated families to run, of nmteach, nest, brian2 (default: all that are installed)",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help=f"runs per simulator (default {REPEATS}, 1 with --quick)"
    )
    parser.add_argument("--v-reset", type=float, default=V_RESET, help="reset potential in mV (NEST example: 0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run (run r uses seed + r)")
    parser.add_argument(
        "--profile",
        choices=["one", "four"],
        help="instead of the tables: profile nmteach's time loop on N = 12,500 (2,500 with --quick) in this layout",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child), args.out)
        return

    if args.profile:
        profile_nmteach("2500" if args.quick else "12500", args.seed, args.v_reset, args.profile)
        return

    families = [f.strip() for f in args.simulators.split(",") if f.strip()]
    unknown = set(families) - set(MODULES)
    if unknown:
        parser.error(f"unknown simulators {sorted(unknown)}; choose from {sorted(MODULES)}")
    repeats = args.repeats or (1 if args.quick else REPEATS)
    sizes = ["2500"] if args.quick else ["12500", "2500"]

    info = machine_info(("numpy", "nmteach", "nest-simulator", "Brian2", "Cython"))
    print_header(
        "Brunel (2000) network, NEST's brunel_delta example" + (" (--quick)" if args.quick else ""),
        info,
        [f"model       dt = {DT} ms, {T_SIM / 1000:g} s, V_reset = {args.v_reset:g} mV, V_m(0) = {V_M0:g} mV"],
    )
    available, notes = probe(families)
    labels = []
    for label, s in SIMULATORS.items():
        if not available.get(s["family"]):
            continue
        note = compiler_note(s["target"]) if s.get("target") in ("cython", "cpp_standalone") else None
        if note:
            notes.append(note)
            continue
        labels.append(label)
    for note in notes:
        print(f"note: {note}")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    print()
    results = bench(sizes, labels, repeats, args.v_reset, args.seed)

    slow = print_results(results, repeats)
    targets = print_targets(results)
    print()
    print("Definitions")
    print("  end-to-end = import (numpy + simulator) + build + simulate, in a fresh subprocess;")
    print("  events/s = recurrent spikes × mean out-degree (C_E·N/N_E = C_I·N/N_I) per second of simulate;")
    print("  events/bio s = the same per second of biological time; peak RSS = ru_maxrss of the subprocess.")
    print("  Brian2 cpp_standalone: simulate = the compiled binary's run loop; build = the rest (code")
    print("  generation, make); its peak RSS is the Python process's plus the binary's (both alive at once).")
    print("  The NEST example counts the spikes of 50 neurons per population; here every spike is recorded.")
    if slow:
        print(f"  Runs longer than {SLOW_RUN_S:.0f} s were not repeated: {'; '.join(slow)}.")
    if nmteach_fingerprint() != info["nmteach_source"]:
        print("  WARNING: nmteach's source files changed during the run: the runs measured different versions.")
    if hasattr(os, "getloadavg"):
        info["load_average_end"] = list(os.getloadavg())
        print(f"  Load average at the end: {' / '.join(f'{x:.2f}' for x in info['load_average_end'])}.")

    if args.json:
        report = {
            "machine": info,
            "quick": args.quick,
            "repeats": repeats,
            "model": {
                "dt_ms": DT,
                "t_sim_ms": T_SIM,
                "delay_ms": DELAY,
                "g": G,
                "eta": ETA,
                "tau_m_ms": TAU_M,
                "theta_mV": THETA,
                "E_L_mV": E_L,
                "V_reset_mV": args.v_reset,
                "V_m0_mV": V_M0,
                "t_ref_ms": T_REF,
                "sizes": {s: SIZES[s] for s in sizes},
            },
            "skipped": notes,
            "results": results,
            "targets": targets,
        }
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")


if __name__ == "__main__":
    main()
