"""The spiking engine: :func:`simulate` a :class:`nmteach.Population` or :class:`nmteach.Network`.

How it integrates
-----------------
* Between grid points the linear subthreshold dynamics, together with every synaptic
  filter's state, is integrated exactly (the propagator of the joint linear system), so a
  coarse ``dt`` does not make the membrane unstable.
* A spike's time is located inside the step by inverting the exponential trajectory
  between the two grid values; refractoriness is counted from that time, and a neuron
  whose refractory period ends within a step is integrated through the rest of the step
  and fires again if it reaches θ there. The noise-free f–I curve is therefore exact for
  every dt, whatever the rate.
* Spikes emitted during a step reach their targets at the next grid point (plus the
  delay). All-to-all coupling needs one filter per projection (O(N) per step); sparse
  coupling gathers the targets of the neurons that fired (O(synapses used)).
* With white noise, a trajectory may cross θ and come back between two grid points;
  checking only the grid would bias the rate downwards by a term of order σ√dt. The
  engine fires such a neuron with the Brownian-bridge crossing probability
  exp(−2 (θ − u_k)(θ − u_{k+1}) / v) (``bridge=True``; switch it off to see the bias).

The parts: :mod:`.neurons` (parameters), :mod:`.projections` (spike delivery),
:mod:`.noise`, :mod:`.poisson`, :mod:`.refractory`, :mod:`.spikes`, :mod:`.memory`
(the estimate the memory guard checks) and :mod:`.loop` (the time loop).
"""

from .memory import MemoryEstimate, estimate_memory
from .simulate import simulate, simulate_network

__all__ = ["MemoryEstimate", "estimate_memory", "simulate", "simulate_network"]
