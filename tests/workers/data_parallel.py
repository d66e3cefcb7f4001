"""Runs in a subprocess of tests/test_training_data_parallel.py: it needs its own devices.

``python data_parallel.py devices`` (started with XLA_FLAGS forcing 4 CPU devices)
prints, as JSON, the per-epoch logs of fits on 1 and on 4 devices.
``python data_parallel.py process ID COUNT PORT`` joins a COUNT-process run on
127.0.0.1:PORT (COUNT 1: alone), trains on its half of a small panel, and prints its logs.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np


def panel(n_series: int = 6):
    """Noisy sines of different lengths, float32, fixed seed."""
    rng = np.random.RandomState(0)
    lengths = [120, 80, 200, 60, 150, 90][:n_series]
    return [
        (np.sin(np.arange(n) / 5.0 + i) + 0.1 * rng.randn(n)).astype("float32")
        for i, n in enumerate(lengths)
    ]


#: What every fit here shares: the per-epoch losses compared are those of these settings.
FIT = {"epochs": 3, "batch_size": 32, "seed": 0, "verbose": 0}


def windows(parts: list[np.ndarray]):
    """Training windows of ``parts`` and validation arrays from their last 30 points."""
    from seqcast.data.windows import panel_windows

    x, y = panel_windows(parts, window=12, horizon=2)
    valid = panel_windows([p[-30:] for p in parts], window=12, horizon=2)
    return x, y, (np.asarray(valid[0]), np.asarray(valid[1]))


def gru(window: int, horizon: int, seed: int = 1, batch_norm: bool = False):
    import keras

    keras.utils.set_random_seed(seed)
    layers = [keras.Input((window, 1)), keras.layers.GRU(8)]
    if batch_norm:
        layers.append(keras.layers.BatchNormalization())
    model = keras.Sequential([*layers, keras.layers.Dense(horizon)])
    model.compile(loss="mse", optimizer="adam")
    return model


def devices() -> dict:
    import jax

    import seqcast.training as training
    from seqcast.errors import SeqcastError

    parts = panel()
    x, y, valid = windows(parts)
    out: dict = {"devices": len(jax.devices())}
    for n in (1, 4):
        same = {**FIT, "validation_data": valid, "devices": n}
        whole = training.fit_members(gru(12, 2), x, y, patience=5, **same)
        ensemble = training.fit_members(
            gru(12, 2), x, y, members=[gru(12, 2, seed=2)], vmap_members=True, **same
        )
        arrays = training.fit(gru(12, 2), np.asarray(x), np.asarray(y), **same)
        out[n] = {
            "whole_fit": whole.histories[0],
            "ensemble": ensemble.histories,
            "arrays": arrays.history,
        }
    # The gradients are averaged by the all-reduce XLA inserts, not by our code.
    from seqcast.training.compiled import compiled_for, training_state
    from seqcast.training.data_parallel import data_mesh, place_samples, replicate

    model = gru(12, 2)
    model.optimizer.build(model.trainable_variables)
    mesh = data_mesh(4)
    xs, ys = place_samples(x, y, mesh)
    state = replicate(training_state(model), mesh)
    key = replicate(jax.random.PRNGKey(0), mesh)
    epoch = compiled_for(model, model.loss, []).on_mesh(mesh)[0]
    text = epoch.lower(state, xs, ys, key, batch_size=32, shuffle=True).compile().as_text()
    out["all_reduces"] = len(re.findall(r"all-reduce[(.-]", text))
    out["block_rows"] = [int(s.data.shape[0]) for s in xs.blocks.addressable_shards]
    out["points"] = int(sum(len(p) for p in parts))
    errors = {}
    for name, call in {
        "batch": lambda: training.fit(gru(12, 2), x, y, batch_size=30, verbose=0, devices=4),
        "batch_norm": lambda: training.fit(
            gru(12, 2, batch_norm=True), x, y, batch_size=32, verbose=0, devices=4
        ),
        "too_many": lambda: training.fit(gru(12, 2), x, y, verbose=0, devices=8),
    }.items():
        try:
            call()
            errors[name] = None
        except SeqcastError as err:
            errors[name] = str(err)
    out["errors"] = errors
    return out


def process(process_id: int, count: int, port: int) -> dict:
    import jax

    if count > 1:
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        jax.distributed.initialize(
            f"127.0.0.1:{port}",
            num_processes=count,
            process_id=process_id,
            initialization_timeout=60,
        )
    import seqcast.training as training

    parts = panel()
    half = len(parts) // count
    x, y, valid = windows(parts[process_id * half : (process_id + 1) * half])
    model = gru(12, 2)
    fitted = training.fit_members(
        model, x, y, validation_data=valid, patience=5, partitioned=True, **FIT
    )
    weights = [np.asarray(w).ravel() for w in model.get_weights()]
    return {"history": fitted.histories[0], "weights": float(np.concatenate(weights).sum())}


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[2:5]]
    result = devices() if sys.argv[1] == "devices" else process(*arguments)
    print("RESULT " + json.dumps(result))
