"""The lessons' exercises: questions, answers computed from the library, hints and explanations.

They live here, not in the notebooks, so that a learner reading a lesson sees the question and an
answer box but not the answer. :class:`nmteach.apps.Exercises` shows a lesson's exercises with
instant feedback; each lesson's worked solutions stay folded away below them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import finite_size_variance
from ..model.distributions import Normal, TwoPoint
from ..model.inputs import WhiteNoise
from ..model.network import Population
from ..model.neuron import LIF
from ..theory.field import (
    ExponentialCoupling,
    HeavisideRate,
    MexicanHatCoupling,
    NeuralField,
    bump_widths,
    front_speed,
)
from ..theory.heterogeneity import second_order_rate, typical_rate
from ..theory.meanfield import asynchronous_states

__all__ = ["LESSONS", "Choice", "Numeric", "lesson_exercises"]


@dataclass(frozen=True)
class Numeric:
    """A question with a numerical answer, accepted within ``rtol`` (relative) or ``atol``."""

    key: str
    question: str
    answer: float | Callable[[], float]
    unit: str = ""
    rtol: float = 0.02
    atol: float = 0.0
    hint: str = ""

    def value(self) -> float:
        return float(self.answer() if callable(self.answer) else self.answer)


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question."""

    key: str
    question: str
    options: tuple
    answer: object | Callable[[], object]
    explanation: str = ""
    hint: str = ""

    def value(self):
        return self.answer() if callable(self.answer) else self.answer


def _curvature_sign() -> str:
    neuron, spread = LIF(), Normal(1.0)
    up = second_order_rate(0.3, neuron, "theta", spread) > typical_rate(0.3, neuron, "theta", spread)
    return "r'' > 0: a wider spread raises the mean further" if up else "r'' < 0: a wider spread lowers the mean"


def _front_direction() -> str:
    field = NeuralField(ExponentialCoupling(J=10.0, sigma=1.0), HeavisideRate(0.7, 100.0))
    c = front_speed(field)
    return "grows: its fronts move outwards" if c > 0 else "shrinks: its fronts move inwards"


def _stable_bump() -> float:
    field = NeuralField(MexicanHatCoupling(20, 1, 15, 2), HeavisideRate(0.35, 100))
    (bump,) = [b for b in bump_widths(field) if b.stable]
    return bump.width


LESSONS: dict[str, tuple] = {
    "00": (
        Numeric(
            "00.1",
            "A neuron has R = 50 MΩ, u_rest = −70 mV and θ = −50 mV. What is its rheobase?",
            (-50 - (-70)) / 50,
            "nA",
            hint="I_rh = (θ − u_rest)/R, and MΩ × nA = mV.",
        ),
        Numeric(
            "00.2",
            "The default neuron (τ_m = 10 ms, R = 100 MΩ, θ − u_rest = 15 mV, reset to rest) receives I₀ = 0.3 nA from "
            "t = 0. When does it fire its first spike?",
            10.0 * math.log(100 * 0.3 / (100 * 0.3 - 15.0)),
            "ms",
            hint="Solve u(T) = θ with u(t) = u_rest + (1 − e^{−t/τ_m}) R I₀.",
        ),
        Choice(
            "00.3",
            "As the input current grows without bound, the firing rate of an LIF neuron with t_ref = 2 ms …",
            ("grows without bound", "approaches 500 Hz", "approaches 100 Hz", "falls back to zero"),
            "approaches 500 Hz",
            explanation="T₀ → 0 for strong input, so g → 1/t_ref = 1/(2 ms) = 500 Hz.",
            hint="What is left of t_ref + T₀ when T₀ shrinks to nothing?",
        ),
    ),
    "01": (
        Numeric(
            "01.1",
            "A population of N = 500 neurons is coupled all-to-all with w₀ = 0.004. What is J₀?",
            0.004 * 500,
            hint="J₀ = w₀ N.",
        ),
        Numeric(
            "01.2",
            "Noise-free default neurons, J₀ = −5, q = 1 pC, I_ext = 0.3 nA. At what rate A₀ does the asynchronous state "
            "fire?",
            lambda: asynchronous_states(Population(J0=-5.0, I_ext=0.3))[0].A0,
            "Hz",
            rtol=0.01,
            hint="Find where g(I_ext + J₀ q A/1000) − A changes sign (A in Hz, so q A/1000 is in nA), e.g. by bisection "
            "with nm.gain, or read the crossing off the FixedPointApp with σ = 0.",
        ),
        Numeric(
            "01.3",
            "N = 400 independent neurons fire at 20 Hz. What is the standard deviation of A(t) estimated in 1 ms windows?",
            math.sqrt(finite_size_variance(20.0, 400, 1.0)),
            "Hz",
            hint="Var A = ν(1 − νΔt)/(NΔt) with Δt in seconds.",
        ),
        Choice(
            "01.4",
            "J₀ = 2, I_ext = 0.1 nA, σ = 0.02 nA, exponential kernel with q = 1 pC: how many asynchronous states are "
            "there?",
            (1, 2, 3, 4),
            lambda: len(asynchronous_states(Population(J0=2.0, I_ext=0.1, noise=WhiteNoise(0.02)))),
            explanation="Low (stable), middle (unstable), high (stable): the population is bistable.",
            hint="Use the FixedPointApp.",
        ),
    ),
    "02": (
        Numeric(
            "02.1",
            "Thresholds take two values, −54 mV and −46 mV, half the neurons each. What is the variance of θ (in mV²)?",
            TwoPoint(-54.0, -46.0).variance(0.0),
            "mV²",
            hint="Var = f(1 − f)(θ₂ − θ₁)² with f = 1/2.",
        ),
        Choice(
            "02.2",
            "At I = 0.3 nA, far above the rheobase, section 1 printed a population mean ⟨r_i⟩ above the typical neuron's "
            "rate for thresholds spread by 1 mV. What does that say about the curvature r'' of the rate as a function "
            "of θ there, and what does a wider symmetric spread do?",
            (
                "r'' > 0: a wider spread raises the mean further",
                "r'' < 0: a wider spread lowers the mean",
                "r'' = 0: the spread does not matter",
            ),
            _curvature_sign,
            explanation="⟨r⟩ ≈ r(θ̄) + ½ r''(θ̄) Var θ: a mean above the typical rate means r'' > 0, and the correction "
            "grows with the variance.",
            hint="Compare ⟨r_i⟩ and the typical rate printed in section 1 for I = 0.3 nA, and the second-order formula.",
        ),
        Numeric(
            "02.3",
            "Thresholds are uniform on [−55, −45] mV (default neuron: u_rest = −65 mV, R = 100 MΩ). What fraction of the "
            "neurons fires at I = 0.17 nA?",
            0.7,
            rtol=0.01,
            hint="A neuron fires when u_rest + R I > θ_i.",
        ),
    ),
    "03": (
        Numeric(
            "03.1",
            "A population of 500 neurons has all-to-all weights w = 0.004. You enlarge it to 2,000 neurons and want the "
            "same mean field. What weight do you use?",
            0.004 * 500 / 2000,
            rtol=0.01,
            hint="Keep J₀ = wN fixed.",
        ),
        Numeric(
            "03.2",
            "N = 5,000 neurons are connected with probability p = 0.02. What is the standard deviation of the in-degree?",
            math.sqrt(0.02 * 0.98 * 5000),
            rtol=0.01,
            hint="The in-degree is binomial: variance p(1 − p)N.",
        ),
        Choice(
            "03.3",
            "Gaussian all-to-all weights with mean J₀/N and standard deviation σ₀/√N. Going from N = 1,000 to "
            "N = 100,000, the spread of the total coupling Σⱼ wᵢⱼ across neurons …",
            ("shrinks tenfold", "shrinks a hundredfold", "stays σ₀", "grows tenfold"),
            "stays σ₀",
            explanation="N weights of variance σ₀²/N sum to variance σ₀², whatever N.",
        ),
        Choice(
            "03.4",
            "In a balanced network the weights are scaled as J₀/√(pN). If you used J₀/(pN) instead, then as N grows the "
            "input fluctuations would …",
            ("stay constant", "vanish like 1/√(pN)", "grow like √(pN)"),
            "vanish like 1/√(pN)",
            explanation="The variance is ∝ pN w² = J₀²/(pN).",
        ),
    ),
    "04": (
        Numeric(
            "04.1",
            "An inhibitory pool of N_I = 250 neurons projects all-to-all onto an excitatory pool with J_EI = −5. What is "
            "the weight w_ij of one synapse?",
            -5 / 250,
            rtol=0.01,
            hint="w_ij = J_nm / N_m, with m the source pool.",
        ),
        Numeric(
            "04.2",
            "A fixed point of the E/I rate model has eigenvalues λ = −0.02 ± 0.25i per ms. What is the frequency of the "
            "damped oscillation in Hz?",
            1000 * 0.25 / (2 * math.pi),
            "Hz",
            rtol=0.01,
            hint="f = ω/2π, with ω in rad per ms.",
        ),
        Choice(
            "04.3",
            "The Jacobian at a fixed point has eigenvalues +0.07 and −0.16 per ms. The fixed point is …",
            ("a stable node", "a stable focus", "a saddle", "an unstable focus"),
            "a saddle",
            explanation="Real eigenvalues of opposite signs: attracting along one direction, repelling along the other.",
        ),
    ),
    "05": (
        Numeric(
            "05.1",
            "N = 10,000 neurons on a 1 mm × 1 mm torus, Gaussian rule with p₀ = 0.5 and σ = 0.05 mm (much smaller than "
            "the sheet). About how many inputs does a neuron get?",
            10_000 * 0.5 * 2 * math.pi * 0.05**2,
            rtol=0.03,
            hint="Integrate p₀ e^{−r²/2σ²} over the plane: 2πσ² p₀, times the density N/L².",
        ),
        Choice(
            "05.2",
            "Box rule P(d) = 0.3 for d ≤ 0.1 mm. Two neurons 0.05 mm apart are connected with probability …",
            ("0.05", "0.1", "0.3", "1"),
            "0.3",
            explanation="Inside the box every pair has the same probability p₀ = 0.3.",
        ),
        Choice(
            "05.3",
            "With the all-to-all rule w_ij = g(|x(i) − x(j)|), a neuron's number of inputs is …",
            (
                "N − 1 (everyone, with weights that fall with distance)",
                "random, binomial",
                "the number of neurons within 1 mm",
            ),
            "N − 1 (everyone, with weights that fall with distance)",
            explanation="Every pair is coupled; distance only sets the weight.",
        ),
    ),
    "06": (
        Numeric(
            "06.1",
            "An axis holds ρ = 50 neurons per mm and is cut into segments of d = 0.2 mm. How many neurons N_m are in a "
            "segment?",
            50 * 0.2,
            rtol=0.001,
            hint="N_m = ρ d.",
        ),
        Choice(
            "06.2",
            "In I(nd, t) = ρ Σ_m w(nd, md) d ∫α(s) A(md, t − s) ds, whose input is computed?",
            (
                "the neurons at position nd (segment n)",
                "the neurons at position md (segment m)",
                "the whole axis, averaged",
            ),
            "the neurons at position nd (segment n)",
            explanation="n labels the receiving segment; the sum runs over the source segments m.",
        ),
        Choice(
            "06.3",
            "On a line, you halve the segment length d. The error of the segment sum against the integral shrinks by a "
            "factor of about …",
            ("2", "4", "16", "it does not shrink"),
            "4",
            explanation="The segment sum is the midpoint rule: its error is (d²/24)[f′]₀ᴸ + O(d⁴).",
        ),
    ),
    "07": (
        Numeric(
            "07.1",
            "Exponential coupling with σ = 2 mm, τ = 10 ms and k = (κ − I_ext)/(sJ) = 0.25. What is the front speed in "
            "mm/ms?",
            2.0 / 10.0 * (1 - 2 * 0.25) / (2 * 0.25),
            "mm/ms",
            rtol=0.01,
            hint="c = (σ/τ)(1 − 2k)/(2k).",
        ),
        Numeric(
            "07.2",
            "Mexican hat J_e = 20, σ_e = 1 mm, J_i = 15, σ_i = 2 mm; Heaviside rate with κ = 0.35 nA, s = 0.1 nA, "
            "I_ext = 0. What is the width of the stable bump (mm)?",
            _stable_bump,
            "mm",
            rtol=0.01,
            hint="Solve s·W(a) = κ − I_ext and take the solution where w(a) < 0; nm.bump_widths does it.",
        ),
        Choice(
            "07.3",
            "A field with an excitatory kernel is bistable, and k = (κ − I_ext)/(sJ) = 0.7. An active patch in the middle …",
            ("grows: its fronts move outwards", "shrinks: its fronts move inwards", "stays as it is"),
            _front_direction,
            explanation="For k > ½ the front speed is negative: the silent state invades, c(k) = −c(1 − k).",
            hint="Compare k with ½, or compute nm.front_speed for such a field.",
        ),
    ),
}


def lesson_exercises(lesson: str) -> tuple:
    """The exercises of lesson ``"00"`` … ``"07"``."""
    if lesson not in LESSONS:
        raise ValueError(f"lesson = {lesson!r} must be one of {sorted(LESSONS)}")
    return LESSONS[lesson]
