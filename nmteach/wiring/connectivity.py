"""Connectivity schemes and their scaling laws (the notes' "Connectivity schemes and scaling").

Every builder returns a :class:`nmteach.Connectivity` (CSR by source) and builds it
directly in that form, source block by source block, so that memory stays close to the
12 bytes a stored synapse needs (the estimate each builder checks against the memory
budget before it starts is what it really allocates).

Scaling laws built in (w_ij is dimensionless; the input it causes is w_ij q):

=============================  ===================================  =====================
builder                        weights                              in-degree
=============================  ===================================  =====================
:func:`all_to_all`             w = J0/N                              N
:func:`gaussian_all_to_all`    w ~ Normal(J0/N, (σ0/√N)²)            N
:func:`fixed_probability`      w = J0/(pN)                           Binomial(N, p)
:func:`fixed_in_degree`        w = J0/C, C = pN                      C exactly
:func:`fixed_out_degree`       w = J0/C, C = pN                      mean C
:func:`balanced`               w = ±J0/√(pN) (E positive, I negative)  Binomial(N, p)
=============================  ===================================  =====================

With these laws the mean summed weight Σ_j w_ij = J0 does not change with N (without
autapses each weight keeps its value and a neuron has one input fewer). The number of
inputs does change: pN grows with N. (The notes say the law w = J0/(pN) keeps "the
average number of inputs" fixed; it keeps their summed weight fixed. They also call J0
"the number of neurons before scaling"; it is the total coupling a neuron receives.)
"""

from __future__ import annotations

import math

import numpy as np

from .._params import (
    check,
    check_bool,
    check_choice,
    check_int,
    require_memory,
    resolve_rng,
)
from ..model.synapses import SYNAPSE_BYTES, Connectivity

__all__ = [
    "all_to_all",
    "balanced",
    "connectivity_memory",
    "fixed_in_degree",
    "fixed_out_degree",
    "fixed_probability",
    "gaussian_all_to_all",
    "in_degree_blocks",
]

#: synapses generated per block: the temporaries of one block stay at a few MB
_BLOCK_SYNAPSES = 1 << 18
#: bytes a block of random wiring takes per synapse while it is drawn (int64 positions from the
#: geometric skips and their running sum, a mask, the kept positions, their quotient and remainder)
_BERNOULLI_BYTES = 40
#: bytes a block of dense rows takes per synapse (the tiled targets, the diagonal mask and the kept ones)
_DENSE_BYTES = 4 + 1 + 4
#: bytes of a small numpy array object beyond its data
_ARRAY_OBJECT = 112
#: bytes a stored synapse needs while its builder finishes: the synapse itself (int32 target, float64
#: weight) and the finiteness mask of the check of its weight
STORED_BYTES = SYNAPSE_BYTES + 1


def connectivity_memory(n_synapses: float, per_synapse: float = STORED_BYTES, scratch: float = 0.0) -> float:
    """Bytes a builder needs for ``n_synapses``: ``per_synapse`` at its peak (the stored synapses and
    whatever per-synapse temporaries it holds at the same time) plus a fixed ``scratch`` (one block)."""
    return n_synapses * per_synapse + scratch


def _sizes(N, n_source):
    N = check_int("N", N)
    n_source = N if n_source is None else check_int("n_source", n_source)
    return N, n_source


def _refuse_if_too_large(n_synapses: float, what: str, per_synapse: float = STORED_BYTES, scratch: float = 0.0):
    require_memory(
        connectivity_memory(n_synapses, per_synapse, scratch),
        f"{what} with about {n_synapses:.3g} synapses",
        "use fewer neurons or a smaller connection probability",
    )


def _csr(chunks, counts, weights, n_source, n_target, rule) -> Connectivity:
    targets = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    chunks.clear()
    indptr = np.zeros(n_source + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return Connectivity(indptr, targets, weights(targets.size), n_source, n_target, rule)


def _uniform(w: float):
    return lambda n: np.full(n, w)


def _dense_rows(n_source, n_target, autapses, weights, rule) -> Connectivity:
    """Every source to every target (minus j → j without autapses), written row block by row block."""
    per = n_target if autapses else n_target - 1
    rows = max(1, _BLOCK_SYNAPSES // max(per, 1))
    targets, base = np.empty(n_source * per, dtype=np.int32), np.arange(n_target, dtype=np.int32)
    for start in range(0, n_source, rows):
        stop = min(start + rows, n_source)
        block = np.tile(base, stop - start).reshape(stop - start, n_target)
        if not autapses:  # drop the diagonal j → j of this block (sources are targets here)
            keep = np.ones(block.shape, dtype=bool)
            j = np.arange(start, stop)
            keep[j - start, j] = False
            block = block[keep]
        targets[start * per : stop * per] = block.ravel()
    indptr = np.arange(n_source + 1, dtype=np.int64) * per
    return Connectivity(indptr, targets, weights(targets.size), n_source, n_target, rule)


def _dense_scratch(n_synapses: float, n_target: int) -> float:
    """One block of rows: about _BLOCK_SYNAPSES synapses, or one row where a row holds more."""
    return _DENSE_BYTES * min(n_synapses, max(_BLOCK_SYNAPSES, n_target))


def all_to_all(N: int, J0: float, *, n_source: int | None = None, autapses: bool = True) -> Connectivity:
    """Every source to every target with w = J0/N_source (stored explicitly: for small N only).

    Without autapses (``autapses=False``, one group onto itself) every weight stays J0/N and a
    neuron receives J0·(N − 1)/N in all, as :class:`nmteach.Population` with
    ``self_coupling=False``. For large homogeneous populations use :class:`nmteach.Population`,
    which needs no synapse list.
    """
    N, n_source = _sizes(N, n_source)
    J0 = check("J0", J0)
    autapses = check_bool("autapses", autapses)
    _need_square(autapses, N, n_source)
    _refuse_if_too_large(N * n_source, "all-to-all coupling", scratch=_dense_scratch(N * n_source, N))
    return _dense_rows(n_source, N, autapses, _uniform(J0 / n_source), f"all_to_all(J0={J0:g})")


def _need_square(autapses, N, n_source):
    if not autapses and N != n_source:
        raise ValueError(f"autapses=False needs a group onto itself: n_source = {n_source} must equal N = {N}")


def gaussian_all_to_all(
    N: int, J0: float, sigma0: float, *, rng=None, n_source: int | None = None, autapses: bool = True
) -> Connectivity:
    """All-to-all with Gaussian weights: mean J0/N, standard deviation σ0/√N.

    The summed weight Σ_j w_ij of each neuron is then Normal(J0, σ0²) *for every N*:
    its spread across neurons does not shrink as the network grows.
    """
    N, n_source = _sizes(N, n_source)
    J0 = check("J0", J0)
    sigma0 = check("sigma0", sigma0)
    autapses = check_bool("autapses", autapses)
    _need_square(autapses, N, n_source)
    g = resolve_rng(rng)
    _refuse_if_too_large(N * n_source, "Gaussian all-to-all coupling", scratch=_dense_scratch(N * n_source, N))
    draw = lambda n: g.normal(J0 / n_source, sigma0 / math.sqrt(n_source), n)
    return _dense_rows(n_source, N, autapses, draw, f"gaussian_all_to_all(J0={J0:g}, sigma0={sigma0:g})")


def _bernoulli(n_source, n_target, p, g, autapses):
    """Targets (chunks of int32) and out-degrees of pairs (j, i) kept with probability p.

    Geometric skips over the n_source × n_target grid, one block of sources at a time, so
    the positions come out sorted by source and no sort is needed.
    """
    rows = max(1, int(_BLOCK_SYNAPSES / max(p * n_target, 1e-300)))
    chunks, counts = [], np.zeros(n_source, dtype=np.int64)
    for start in range(0, n_source, rows):
        stop = min(start + rows, n_source)
        cells = (stop - start) * n_target
        if p == 1.0:
            pos = np.arange(cells, dtype=np.int64)
        else:
            parts, last = [], -1
            while True:
                mean = (cells - last - 1) * p
                n = int(mean + 6 * math.sqrt(mean + 1) + 16)
                step = last + np.cumsum(g.geometric(p, size=n), dtype=np.int64)
                parts.append(step[step < cells])
                if step[-1] >= cells:
                    break
                last = int(step[-1])
            pos = parts[0] if len(parts) == 1 else np.concatenate(parts)
        src, tgt = np.divmod(pos, n_target)
        if not autapses:
            keep = (src + start) != tgt
            src, tgt = src[keep], tgt[keep]
        counts[start:stop] = np.bincount(src, minlength=stop - start)
        chunks.append(tgt.astype(np.int32))
    return chunks, counts


def _bernoulli_scratch(n_synapses: float) -> float:
    """One block's temporaries (a block holds about _BLOCK_SYNAPSES synapses, up to 6 sd and 16 more)."""
    block = min(n_synapses, _BLOCK_SYNAPSES)
    return _BERNOULLI_BYTES * (block + 6 * math.sqrt(block + 1) + 16)


def _check_p(p) -> float:
    return check("p", p)


def fixed_probability(
    N: int, p: float, J0: float, *, rng=None, n_source: int | None = None, autapses: bool = True
) -> Connectivity:
    """Each pair connected independently with probability p, w = J0/(pN).

    In-degrees are Binomial(N, p): mean pN, variance p(1 − p)N; the summed weight has
    mean J0 and coefficient of variation √((1 − p)/(pN)).
    """
    N, n_source = _sizes(N, n_source)
    p = _check_p(p)
    J0 = check("J0", J0)
    autapses = check_bool("autapses", autapses)
    _need_square(autapses, N, n_source)
    g = resolve_rng(rng)
    mean = p * N * n_source
    _refuse_if_too_large(mean + 6 * math.sqrt(mean + 1), "this connectivity", scratch=_bernoulli_scratch(mean))
    chunks, counts = _bernoulli(n_source, N, p, g, autapses)
    w = J0 / (p * n_source)
    return _csr(chunks, counts, _uniform(w), n_source, N, f"fixed_probability(p={p:g}, J0={J0:g})")


def _check_degree(C, n):
    C = check_int("C", C)
    if C > n:
        raise ValueError(f"C = {C} must not exceed the number of candidate partners {n}")
    return C


def fixed_in_degree(
    N: int, C: int, J0: float, *, rng=None, n_source: int | None = None, multapses: bool = True
) -> Connectivity:
    """Every target receives exactly C inputs, w = J0/C (so Σ_j w_ij = J0 exactly).

    Sources are drawn at random; with ``multapses=True`` (NEST's default) a pair may be
    drawn twice, otherwise the C sources of a target are distinct.
    """
    N, n_source = _sizes(N, n_source)
    C = _check_degree(C, n_source)
    J0 = check("J0", J0)
    multapses = check_bool("multapses", multapses)
    conn = in_degree_blocks(N, [(0, n_source, C, J0 / C)], n_source=n_source, rng=rng, multapses=multapses)
    return Connectivity(conn.indptr, conn.targets, conn.weights, n_source, N, f"fixed_in_degree(C={C}, J0={J0:g})")


def in_degree_blocks(N: int, blocks, *, n_source: int, rng=None, multapses: bool = True) -> Connectivity:
    """Fixed in-degrees from several ranges of sources: every target draws, for each block
    ``(start, stop, C, w)``, exactly C sources in [start, stop), each synapse of weight w.

    With one block this is :func:`fixed_in_degree`; with an excitatory and an inhibitory
    range it is the wiring of Brunel's (2000) network (:func:`nmteach.models.brunel_network`).
    """
    N = check_int("N", N)
    n_source = check_int("n_source", n_source)
    multapses = check_bool("multapses", multapses)
    checked = []
    for start, stop, C, w in blocks:
        start, stop = check_int("n_source", start + 1, label="start") - 1, check_int("n_source", stop, label="stop")
        if not 0 <= start < stop <= n_source:
            raise ValueError(f"a block's sources [{start}, {stop}) must lie in [0, {n_source})")
        checked.append((start, stop, _check_degree(C, stop - start), check("weight", w)))
    g = resolve_rng(rng)
    C_all = sum(c for _, _, c, _ in checked)
    # at the peak, per synapse: its source (int32) in drawing order, the stable sort's order (int64) and its
    # merge buffer (half of it), and the order's quotient (int64) before it becomes the int32 targets
    _refuse_if_too_large(N * C_all, "this connectivity", per_synapse=4 + 8 + 4 + 8 + 1)
    src = np.empty(N * C_all, dtype=np.int32)
    view = src.reshape(N, C_all)
    col = 0
    for start, stop, C, _ in checked:
        if multapses:
            view[:, col : col + C] = g.integers(start, stop, size=(N, C), dtype=np.int32)
        else:
            view[:, col : col + C] = np.stack([g.choice(stop - start, C, replace=False) + start for _ in range(N)])
        col += C
    order = np.argsort(src, kind="stable")
    counts = np.bincount(src, minlength=n_source)
    w_source = np.zeros(n_source)
    for start, stop, _, w in checked:
        w_source[start:stop] = w
    del src
    targets = (order // C_all).astype(np.int32)  # synapse k (drawing order) belongs to target k // C_all
    del order

    def weights(n):
        return np.repeat(w_source, counts)

    return _csr([targets], counts, weights, n_source, N, f"in_degree_blocks({len(checked)} blocks, C={C_all})")


def fixed_out_degree(N: int, C: int, J0: float, *, rng=None, n_source: int | None = None) -> Connectivity:
    """Every source sends exactly C outputs to distinct targets (the notes' alternative).

    The mean in-degree is C·n_source/N (= C for one group); weights are J0 divided by
    it, so the mean summed weight is J0 while in-degrees still vary from neuron to neuron.
    """
    N, n_source = _sizes(N, n_source)
    C = _check_degree(C, N)
    J0 = check("J0", J0)
    g = resolve_rng(rng)
    # the chunks of targets (an array object per source) and their join, then the stored synapses
    _refuse_if_too_large(n_source * C, "this connectivity", scratch=_ARRAY_OBJECT * n_source + 8.0 * N)
    if C < N:
        chunks = [g.choice(N, C, replace=False).astype(np.int32) for _ in range(n_source)]
    else:
        chunks = [np.tile(np.arange(N, dtype=np.int32), n_source)]
    counts = np.full(n_source, C, dtype=np.int64)
    mean_in = C * n_source / N
    return _csr(chunks, counts, _uniform(J0 / mean_in), n_source, N, f"fixed_out_degree(C={C}, J0={J0:g})")


def balanced(
    N: int,
    p: float,
    J0: float,
    *,
    fraction_excitatory: float = 0.5,
    scaling: str = "sqrt",
    rng=None,
    n_target: int | None = None,
) -> Connectivity:
    """A balanced E/I population: each pair connected with probability p; excitatory sources
    (the first ``fraction_excitatory·N``) have w = +J0/s, inhibitory ones w = −g·J0/s with
    g = N_E/N_I, so the mean summed weight is zero.

    ``scaling="sqrt"`` uses s = √(pN): a neuron has K = pN inputs, so the means of its
    excitatory and inhibitory input each grow like K/√K = √K, and they cancel only because
    the inhibitory weights are g = N_E/N_I times stronger (g·γ = 1 with γ = N_I/N_E); the
    fluctuations, a sum of K terms of size 1/√K, stay the same for every N. ``scaling="linear"``
    uses s = pN: the means stay fixed and the fluctuations vanish as 1/√(pN).
    """
    N = check_int("N", N)
    p = _check_p(p)
    J0 = check("J0", J0)
    fe = check("fraction_excitatory", fraction_excitatory)
    scaling = check_choice("scaling", scaling, ("sqrt", "linear"))
    NE = round(fe * N)
    if NE in (0, N):
        raise ValueError(f"N = {N} is too small to hold both excitatory and inhibitory neurons")
    n_target = N if n_target is None else check_int("n_target", n_target)
    g = resolve_rng(rng)
    mean = p * N * n_target
    _refuse_if_too_large(mean + 6 * math.sqrt(mean + 1), "this connectivity", scratch=_bernoulli_scratch(mean))
    s = math.sqrt(p * N) if scaling == "sqrt" else p * N
    g_ratio = NE / (N - NE)
    chunks, counts = _bernoulli(N, n_target, p, g, True)
    n_exc = int(counts[:NE].sum())

    def weights(n):
        w = np.full(n, -g_ratio * J0 / s)
        w[:n_exc] = J0 / s  # the synapses of the excitatory sources come first (CSR by source)
        return w

    return _csr(chunks, counts, weights, N, n_target, f"balanced(p={p:g}, J0={J0:g}, scaling={scaling})")
