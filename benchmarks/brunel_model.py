"""Brunel (2000)'s sparse E/I network as NEST's ``brunel_delta_nest.py`` example defines it, built in nmteach.

Shared by ``brunel.py`` (nmteach vs NEST and Brian2) and ``floor.py`` (nmteach vs a minimal numpy loop).
"""

from __future__ import annotations

DT = 0.1  # ms
T_SIM = 1000.0  # ms of biological time
DELAY = 1.5  # ms
G = 5.0  # inhibitory PSP = -g J
ETA = 2.0  # nu_ext / nu_thr
TAU_M = 20.0  # ms
THETA = 20.0  # mV
E_L = 0.0  # mV
V_RESET = 0.0  # mV: the NEST example's value (Brunel 2000: 10 mV)
V_M0 = 0.0  # mV: the NEST example sets V_m = 0 for every neuron
T_REF = 2.0  # ms

SIZES = {
    "12500": {"NE": 10_000, "NI": 2_500, "CE": 1_000, "CI": 250, "J": 0.1},
    "2500": {"NE": 2_000, "NI": 500, "CE": 200, "CI": 50, "J": 0.5},
}


def nu_ext_hz(p: dict) -> float:
    """Rate of each of the C_E external inputs: eta · nu_thr, nu_thr = theta / (J C_E tau_m)."""
    return ETA * THETA / (p["J"] * p["CE"] * TAU_M) * 1000.0


def out_degrees(p: dict) -> tuple[float, float]:
    """Mean out-degree of an E and of an I neuron (fixed in-degree onto all N neurons)."""
    N = p["NE"] + p["NI"]
    return p["CE"] * N / p["NE"], p["CI"] * N / p["NI"]


def build_nmteach(p: dict, seed: int, v_reset: float, layout: str):
    """The network in nmteach and the generator for its simulation."""
    import numpy as np

    import nmteach as nm

    NE, NI, CE, CI, J = p["NE"], p["NI"], p["CE"], p["CI"], p["J"]
    N = NE + NI
    conn_seed, sim_seed = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(conn_seed)
    # R = tau_m: a DeltaKernel(q=1) synapse of weight w makes the membrane jump by R w q / tau_m = w mV
    neuron = nm.LIF(tau_m=TAU_M, R=TAU_M, u_rest=E_L, theta=THETA, u_reset=v_reset, t_ref=T_REF)
    drive = nm.PoissonDrive(rate=nu_ext_hz(p), n=CE, J=J)
    kernel = nm.DeltaKernel(q=1.0)
    if layout == "one":
        # one group (E neurons first) and one projection carrying +J and -gJ: the faster layout
        src = np.empty((N, CE + CI), dtype=np.int32)
        src[:, :CE] = rng.integers(0, NE, size=(N, CE), dtype=np.int32)
        src[:, CE:] = rng.integers(NE, N, size=(N, CI), dtype=np.int32)
        src = src.ravel()
        tgt = np.repeat(np.arange(N, dtype=np.int32), CE + CI)
        w = np.where(src < NE, J, -G * J)
        conn = nm.from_pairs(src, tgt, w, N, N, rule=f"fixed_in_degree(C_E={CE}, C_I={CI})")
        del src, tgt, w
        groups = [nm.Group("EI", N, neuron=neuron, poisson=drive, u0=V_M0)]
        projections = [nm.Projection("EI", "EI", connectivity=conn, kernel=kernel, delay=DELAY)]
    else:
        groups = [
            nm.Group("E", NE, neuron=neuron, poisson=drive, u0=V_M0),
            nm.Group("I", NI, neuron=neuron, poisson=drive, u0=V_M0),
        ]
        projections = []
        for source, n_source, C, weight in (("E", NE, CE, J), ("I", NI, CI, -G * J)):
            for target, n_target in (("E", NE), ("I", NI)):
                src = rng.integers(0, n_source, size=n_target * C, dtype=np.int32)
                tgt = np.repeat(np.arange(n_target, dtype=np.int32), C)
                conn = nm.from_pairs(src, tgt, weight, n_source, n_target, rule=f"fixed_in_degree(C={C})")
                projections.append(nm.Projection(source, target, connectivity=conn, kernel=kernel, delay=DELAY))
    return nm.Network(groups, projections), np.random.default_rng(sim_seed)
