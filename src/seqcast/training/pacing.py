"""How far each call into the device goes while someone watches a fit: the bar moves, cheaply.

The whole fit (:mod:`seqcast.training.whole_fit_program`) can stop at any
step and go on from there with the same numbers, so the host chooses where
each call stops. A silent fit runs in one call. A watched one (a progress
bar) aims at calls of :data:`CALL_SECONDS`: the bar moves that often, on a
panel of any size, and a call costs a dispatch, nothing per step. The pace
(seconds per step, validation included) is measured on each call; while it
is still being learnt, each call is at most :data:`GROWTH` times the one
before, so the first ones are short even on a slow fit.

>>> pace = Pace(None)
>>> pace.next_stop(0, 1000)
1
>>> pace.measured(steps=1, seconds=0.01)
>>> pace.next_stop(1, 1000)  # 50 steps would take 0.5 s; 8x the last call is less
9
>>> pace.measured(steps=8, seconds=0.08)
>>> pace.next_stop(9, 1000), pace.next_stop(990, 1000)
(59, 1000)
"""

from __future__ import annotations

#: Seconds a watched call into the device aims at: how often the progress bar moves.
CALL_SECONDS = 0.5

#: While the pace is learnt, a call is at most this many times longer than the one before.
GROWTH = 8


class Pace:
    """The measured seconds per step of a fit's program, and where its next call should stop.

    ``seconds_per_step``: the pace a previous fit of the same program measured,
    or None: then the first call is one step.
    """

    def __init__(self, seconds_per_step: float | None):
        self.seconds_per_step = seconds_per_step
        self._last_steps: int | None = None if seconds_per_step is not None else 0

    def next_stop(self, reached: int, limit: int) -> int:
        """Where a call from ``reached`` stops: ``CALL_SECONDS`` on, at most ``limit``."""
        if self.seconds_per_step is None:
            return min(reached + 1, limit)
        steps = max(1, int(CALL_SECONDS / max(self.seconds_per_step, 1e-9)))
        if self._last_steps is not None:
            steps = min(steps, GROWTH * max(self._last_steps, 1))
        return min(reached + steps, limit)

    def measured(self, steps: int, seconds: float) -> None:
        """A call ran ``steps`` steps in ``seconds``: the pace of the next."""
        if steps > 0:
            self.seconds_per_step = seconds / steps
            self._last_steps = steps
