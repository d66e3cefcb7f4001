"""Shuffling an epoch of many windows without an array the size of the epoch.

``jax.random.permutation(key, n)`` sorts ``n`` random keys: for the 9.6
million windows of a 10,000-series panel it held about 480 MB at its peak,
twelve times the series themselves. :func:`permuted` is instead a random
bijection of ``[0, n)`` evaluated where it is needed: a four-round Feistel
network on the smallest even number of bits that holds ``n``, cycle-walked
back into range (a value that lands at or past ``n`` is permuted again,
which keeps it a bijection of ``[0, n)``; fewer than four walks on average).
Each batch of an epoch computes its own ``batch_size`` positions, so the
memory is that of a batch. The compiled trainer uses it for epochs of more
than :data:`LARGE_EPOCH` windows; smaller epochs keep
``jax.random.permutation``, so every figure measured before stays as it was.

>>> import jax, numpy as np
>>> order = np.asarray(permuted(jax.random.PRNGKey(0), jax.numpy.arange(10), 10))
>>> sorted(order.tolist()) == list(range(10)), order.tolist() != list(range(10))
(True, True)
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

#: Epochs of more windows than this are shuffled by :func:`permuted`.
LARGE_EPOCH = 1 << 20

_ROUNDS = 4


def permuted(key: jax.Array, positions: jax.Array, n: int) -> jax.Array:
    """The images of ``positions`` (ints in ``[0, n)``) under a random permutation of ``[0, n)``.

    The permutation depends only on ``key`` and ``n``: the same key gives the
    same epoch order, batch after batch.
    """
    if n < 2:
        return jnp.zeros_like(positions)
    half = max(1, (int(n - 1).bit_length() + 1) // 2)  # 2 * half bits hold n
    mask = jnp.uint32((1 << half) - 1)
    round_keys = jax.random.randint(key, (_ROUNDS,), 0, jnp.iinfo(jnp.int32).max).astype(jnp.uint32)

    def scramble(value):
        left, right = value >> half, value & mask
        for k in range(_ROUNDS):
            left, right = right, left ^ (_mix(right ^ round_keys[k]) & mask)
        return (left << half) | right

    def walk(value):
        return jnp.where(value >= n, scramble(value), value)

    start = scramble(positions.astype(jnp.uint32))
    done = jax.lax.while_loop(lambda v: jnp.any(v >= n), walk, start)
    return done.astype(positions.dtype)


def _mix(value):
    """A 32-bit integer hash (multiply and xor-shift): the Feistel round function."""
    value = value * jnp.uint32(0x7FEB352D)
    value = value ^ (value >> 15)
    value = value * jnp.uint32(0x846CA68B)
    return value ^ (value >> 16)
