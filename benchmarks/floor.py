"""nmteach's time loop against the floor of numpy: per-step cost beside minimal loops doing only the work that
cannot be avoided (informative only: nothing here asserts a timing).

Usage::

    python benchmarks/floor.py            # 5 interleaved pairs per comparison, medians
    python benchmarks/floor.py --quick    # 2 pairs, 0.5 s of biological time
    python benchmarks/floor.py --json out.json

Two comparisons, each run as interleaved pairs (nmteach, floor, nmteach, floor, ...) in one process, so that
the ratio is taken between runs that saw the same machine:

1. **Sparse network.** Brunel's network of ``brunel.py`` scaled to N = 2,500 (N_E = 2,000, N_I = 500,
   C_E = 200, C_I = 50, J = 0.5 mV, g = 5, delay 1.5 ms, Poisson drive at 2·ν_thr), built once and simulated
   for 1 s by ``nm.simulate``, against a loop that only does, per step: the jumps due now (one ring row and
   one row of Poisson jumps drawn 64 steps at a time, 16 random bits a neuron mapped through the inverse
   CDF), one threshold test, the exact decay, the reset of neurons whose refractory period ends, and for the
   neurons that fired one gather of their targets from the CSR arrays and one ``bincount`` into the delay
   ring. It uses the same connectivity and reports its rate, which must agree with nmteach's.
2. **White noise.** 10,000 uncoupled neurons with white noise (I_ext = 0.15 nA, σ = 0.05 nA, the default LIF)
   for 1 s, against a bare loop that draws one float64 Gaussian per neuron per step with numpy's default
   generator and does the exact decay, the threshold test and the reset. nmteach also locates each spike
   inside its step, applies the Brownian-bridge test and the refractory period; it draws its Gaussians from
   a 16-bit quantile table (``nmteach.engine.noise``).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
from brunel_model import DELAY, DT, SIZES, T_REF, TAU_M, THETA, V_RESET, build_nmteach, nu_ext_hz
from common import machine_info, print_header, print_table

import nmteach as nm
from nmteach.engine.poisson import BLOCK, poisson_table

PAIRS = 5
#: informative targets (never asserted): nmteach's time per step over the floor's
TARGET_SPARSE = 1.5
TARGET_NOISE = 1.0


# ---------------------------------------------------------------- 1. the sparse network


def sparse_floor(conn: nm.Connectivity, p: dict, t_max: float, rng: np.random.Generator) -> int:
    """The irreducible loop of Brunel's network; returns the number of spikes."""
    N = conn.n_target
    ip, tg, w = conn.indptr, conn.targets, conn.weights
    P = math.exp(-DT / TAU_M)
    D = round(DELAY / DT)  # a spike at t_k arrives at t_{k+D}
    n_ref = round(T_REF / DT)
    n_steps = round(t_max / DT)
    ring = np.zeros((D + 1, N))
    held: list = [None] * (n_ref + 1)  # neurons released at step k: held[k % (n_ref + 1)]
    jumps = poisson_table(p["CE"] * nu_ext_hz(p) * DT / 1000.0) * p["J"]
    bits = rng.bit_generator
    u = np.zeros(N)
    n_spikes = 0
    block = None
    for k in range(n_steps):
        b = k % BLOCK
        if b == 0:
            rows = min(BLOCK, n_steps - k)
            levels = bits.random_raw((rows * N + 3) // 4).view(np.uint16)[: rows * N].reshape(rows, N)
            block = jumps[levels]
        free = held[k % (n_ref + 1)]
        if free is not None:
            u[free] = V_RESET
            held[k % (n_ref + 1)] = None
        slot = k % (D + 1)
        u += block[b]
        u += ring[slot]  # refractory neurons hold −inf: they ignore their input
        ring[slot] = 0.0
        idx = np.flatnonzero(u >= THETA)
        u *= P  # E_L = 0 and no current: the decay is the whole free step
        if idx.size:
            n_spikes += idx.size
            u[idx] = -np.inf
            held[(k + n_ref) % (n_ref + 1)] = idx
            lo, lens = ip[idx], ip[idx + 1] - ip[idx]
            start = np.repeat(lo - (np.cumsum(lens) - lens), lens)
            pos = start + np.arange(start.size)
            ring[(k + D) % (D + 1)] += np.bincount(tg[pos], weights=w[pos], minlength=N)
    return n_spikes


def bench_sparse(pairs: int, t_max: float, seed: int = 1) -> dict:
    p = SIZES["2500"]
    net, _ = build_nmteach(p, seed, V_RESET, "one")
    conn = net.projections[0].connectivity
    runs, spikes = _pairs(
        pairs,
        lambda r: nm.simulate(net, t_max, dt=DT, rng=seed + r, record=0, record_spikes=False).n_spikes,
        lambda r: sparse_floor(conn, p, t_max, np.random.default_rng(seed + r)),
    )
    return _summary(runs, spikes, round(t_max / DT), conn.n_target, t_max, TARGET_SPARSE)


# ---------------------------------------------------------------- 2. white noise

NOISE_N = 10_000
NOISE_I, NOISE_SIGMA = 0.15, 0.05  # nA


def noise_floor(t_max: float, rng: np.random.Generator) -> int:
    """The bare white-noise loop: one numpy Gaussian per neuron and step, exact decay, threshold, reset."""
    lif = nm.LIF()
    P = math.exp(-DT / lif.tau_m)
    drive = (1 - P) * (lif.u_rest + lif.R * NOISE_I)
    s = lif.R * NOISE_SIGMA * math.sqrt((1 - P * P) / 2)  # exact OU increment of one step
    u = np.full(NOISE_N, lif.u_rest)
    xi = np.empty(NOISE_N)
    n_spikes = 0
    for _ in range(round(t_max / DT)):
        rng.standard_normal(out=xi)
        u *= P
        u += drive
        xi *= s
        u += xi
        idx = np.flatnonzero(u >= lif.theta)
        if idx.size:
            n_spikes += idx.size
            u[idx] = lif.u_reset
    return n_spikes


def bench_noise(pairs: int, t_max: float, seed: int = 1) -> dict:
    pop = nm.Population(N=NOISE_N, J0=0.0, I_ext=NOISE_I, noise=nm.WhiteNoise(NOISE_SIGMA))
    runs, spikes = _pairs(
        pairs,
        lambda r: nm.simulate(pop, t_max, dt=DT, rng=seed + r, record=0, record_spikes=False).n_spikes,
        lambda r: noise_floor(t_max, np.random.default_rng(seed + r)),
    )
    out = _summary(runs, spikes, round(t_max / DT), NOISE_N, t_max, TARGET_NOISE)
    out["siegert_hz"] = float(nm.siegert_rate(NOISE_I, pop.neuron, NOISE_SIGMA))
    return out


# ---------------------------------------------------------------- report


def _pairs(pairs: int, nmteach_run, floor_run) -> tuple[dict, dict]:
    """Wall times and spike counts of ``pairs`` interleaved runs (nmteach, floor, nmteach, ...); run r has seed r."""
    runs = {"nmteach": [], "floor": []}
    spikes = {"nmteach": [], "floor": []}
    for r in range(pairs):
        for name, run in (("nmteach", nmteach_run), ("floor", floor_run)):
            t0 = time.perf_counter()
            spikes[name].append(run(r))
            runs[name].append(time.perf_counter() - t0)
    return runs, spikes


def _summary(runs, spikes, n_steps, N, t_max, target) -> dict:
    ratios = [a / b for a, b in zip(runs["nmteach"], runs["floor"], strict=True)]
    out = {"pairs": len(ratios), "n_steps": n_steps, "N": N, "t_max_ms": t_max, "target": target}
    for name in runs:
        out[name] = {
            "wall_s": statistics.median(runs[name]),
            "us_per_step": statistics.median(runs[name]) / n_steps * 1e6,
            "rate_hz": statistics.mean(spikes[name]) / N / (t_max / 1000.0),
            "runs_s": runs[name],
        }
    out["ratio_median"] = statistics.median(ratios)
    out["ratio_range"] = (min(ratios), max(ratios))
    return out


def print_results(sparse: dict, noise: dict) -> None:
    headers = ["comparison", "loop", "wall (median)", "µs / step", "rate", "× floor (median of pairs)", "target"]
    rows = []
    for label, r, what in (
        ("Brunel N = 2,500", sparse, "CSR gather + bincount"),
        ("white noise N = 10,000", noise, "numpy Gaussians"),
    ):
        lo, hi = r["ratio_range"]
        verdict = "met" if r["ratio_median"] <= r["target"] else "missed"
        for name in ("nmteach", "floor"):
            e = r[name]
            ratio = f"{r['ratio_median']:.2f}× ({lo:.2f}–{hi:.2f})" if name == "nmteach" else ""
            goal = f"≤ {r['target']:g}×: {verdict}" if name == "nmteach" else ""
            rows.append(
                [
                    label if name == "nmteach" else "",
                    "nm.simulate" if name == "nmteach" else f"floor ({what})",
                    f"{e['wall_s']:.3f} s",
                    f"{e['us_per_step']:.1f}",
                    f"{e['rate_hz']:.2f} Hz",
                    ratio,
                    goal,
                ]
            )
    notes = [
        f"{sparse['pairs']} and {noise['pairs']} interleaved pairs, {sparse['t_max_ms'] / 1000:g} s of biological time "
        f"at dt = {DT} ms; the range is the lowest and highest ratio of a pair.",
        f"white noise: Siegert rate {noise['siegert_hz']:.2f} Hz (the floor ignores refractoriness, so it fires "
        "a little faster).",
    ]
    print_table("per-step cost against the floor of numpy", headers, rows, notes)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"2 pairs and 0.5 s instead of {PAIRS} pairs and 1 s")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the results as JSON to PATH")
    args = parser.parse_args(argv)
    pairs, t_max = (2, 500.0) if args.quick else (PAIRS, 1000.0)
    info = machine_info()
    print_header("nmteach's time loop against the floor of numpy" + (" (--quick)" if args.quick else ""), info)
    sparse = bench_sparse(pairs, t_max)
    noise = bench_noise(pairs, t_max)
    print_results(sparse, noise)
    if args.json:
        report = {"machine": info, "quick": args.quick, "sparse": sparse, "noise": noise}
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")


if __name__ == "__main__":
    main()
