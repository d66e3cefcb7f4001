"""The whole fit on the device: the same numbers as fit + EarlyStopping, per member."""

import keras
import numpy as np
import pytest

from seqcast.training import fit, fit_members, pacing
from seqcast.training import whole_fit as whole_fit_module
from seqcast.training.compiled import compiled_for
from seqcast.training.whole_fit_program import WholeFitProgram


def _gru(seed: int, compile: bool = True) -> keras.Model:
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((10, 1)), keras.layers.GRU(6), keras.layers.Dense(2)])
    if compile:
        model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.02))
    return model


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    x = rng.rand(200, 10, 1).astype("float32")
    y = (x[:, -2:, 0] * 2 + rng.normal(scale=0.3, size=(200, 2))).astype("float32")
    return x[:160], y[:160], x[160:], y[160:]


def _classic(model, data, patience, epochs):
    x, y, xv, yv = data
    stop = keras.callbacks.EarlyStopping(
        "val_forecast_mae", patience=patience, mode="min", restore_best_weights=True
    )
    history = fit(
        model, x, y, epochs=epochs, validation_data=(xv, yv), callbacks=[stop],
        metrics=["forecast_mae"], seed=5, verbose=0,
    )  # fmt: skip
    return history.history


def _on_device(model, data, patience, epochs, **kwargs):
    x, y, xv, yv = data
    return fit_members(
        model, x, y, validation_data=(xv, yv), epochs=epochs, patience=patience,
        monitor="val_forecast_mae", metrics=["forecast_mae"], seed=5, verbose=0, **kwargs,
    )  # fmt: skip


def test_one_member_matches_fit_with_early_stopping(data):
    """Same losses every epoch, same stopping epoch, same restored weights."""
    classic, device = _gru(1), _gru(1)
    expected = _classic(classic, data, patience=2, epochs=60)
    result = _on_device(device, data, patience=2, epochs=60)
    assert len(expected["loss"]) < 60  # it did stop early
    assert result.histories[0].keys() == expected.keys()
    for name, values in expected.items():
        np.testing.assert_allclose(result.histories[0][name], values, rtol=1e-5)
    for a, b in zip(classic.weights, device.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    best = int(np.argmin(expected["val_forecast_mae"]))
    assert result.best_epochs == [best]


def test_members_side_by_side_equal_members_one_after_the_other(data):
    """The vmapped ensemble is the sequential one: each member stops on its own."""
    runs = []
    for together in (True, False):
        models = [_gru(seed) for seed in (1, 2, 3)]
        runs.append(_on_device(models[0], data, 2, 60, members=models[1:], vmap_members=together))
    side_by_side, in_turn = runs
    lengths = [len(h["loss"]) for h in side_by_side.histories]
    assert lengths == [len(h["loss"]) for h in in_turn.histories]
    for a, b in zip(side_by_side.histories, in_turn.histories):
        np.testing.assert_allclose(a["val_forecast_mae"], b["val_forecast_mae"], rtol=1e-5)
    for (ta, _), (tb, _) in zip(side_by_side.weights, in_turn.weights):
        for a, b in zip(ta, tb):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    # member 0 is the one-model fit; the others start and shuffle differently
    alone = _on_device(_gru(1), data, 2, 60)
    np.testing.assert_allclose(alone.histories[0]["loss"], in_turn.histories[0]["loss"], rtol=1e-6)
    assert in_turn.histories[1]["loss"] != in_turn.histories[0]["loss"]


def test_a_model_built_alike_reuses_the_compiled_program(data):
    first = _on_device(_gru(1), data, 2, 8)
    second = _on_device(_gru(2), data, 2, 8)
    program = compiled_for(_gru(3), "mse", ["forecast_mae"])
    assert any(isinstance(p, WholeFitProgram) for p in program.derived.values())
    assert first.compile_seconds > 10 * second.compile_seconds


def test_report_is_called_every_few_epochs_and_can_stop_the_fit(data):
    calls = []

    def report(epoch, score):
        calls.append((epoch, score))
        return epoch >= 2 * whole_fit_module.EPOCHS_PER_CALL

    result = _on_device(_gru(1), data, None, 100, report=report)
    per_call = whole_fit_module.EPOCHS_PER_CALL
    assert [epoch for epoch, _ in calls] == [per_call, 2 * per_call]
    assert result.stopped_by_report
    assert len(result.histories[0]["loss"]) == 2 * per_call
    assert calls[-1][1] == pytest.approx(result.histories[0]["val_forecast_mae"][-1])


def test_without_validation_every_epoch_runs_and_the_last_weights_stay(data):
    x, y, _, _ = data
    model = _gru(1)
    result = fit_members(model, x, y, epochs=4, patience=1, seed=0, verbose=0)
    assert list(result.histories[0]) == ["loss"]
    assert len(result.histories[0]["loss"]) == 4
    assert result.best_epochs == [None]


def test_a_diverging_loss_stops_with_a_warning(data):
    x, y, _, _ = data
    model = _gru(1, compile=False)
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(1e6))
    with pytest.warns(UserWarning, match="lower the learning rate"):
        result = fit_members(model, x, y * 1e6, epochs=30, seed=0, verbose=0)
    assert len(result.histories[0]["loss"]) < 30


def test_an_unknown_monitor_is_named(data):
    x, y, xv, yv = data
    from seqcast.errors import SeqcastError

    with pytest.raises(SeqcastError, match="monitor 'val_mape' is not computed"):
        fit_members(_gru(1), x, y, validation_data=(xv, yv), monitor="val_mape", verbose=0)


def test_a_convolution_model_on_cpu_trains_on_the_host_with_the_same_result(data):

    def conv(seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input((10, 1)),
                keras.layers.Conv1D(4, 3),
                keras.layers.GRU(4),
                keras.layers.Dense(2),
            ]
        )
        model.compile(loss="mse", optimizer="adam")
        return model

    classic = conv(1)
    expected = _classic(classic, data, patience=2, epochs=6)
    result = _on_device(conv(1), data, patience=2, epochs=6)
    assert not result.on_device
    np.testing.assert_allclose(result.histories[0]["loss"], expected["loss"], rtol=1e-6)
    # members need no compile of their own: they train as the first one is compiled
    bare = keras.models.clone_model(conv(2))
    ensemble = _on_device(conv(1), data, patience=2, epochs=6, members=[bare])
    assert len(ensemble.weights) == 2
    np.testing.assert_allclose(ensemble.histories[0]["loss"], expected["loss"], rtol=1e-6)
    assert ensemble.histories[1]["loss"] != expected["loss"]


class _RecordedBar:
    """A stand-in for the tqdm bar: the positions it was moved to."""

    def __init__(self, *args, **kwargs):
        self.n, self.positions = 0.0, []

    def update(self, delta):
        self.n += delta
        self.positions.append(self.n)

    def set_postfix(self, *args, **kwargs):
        pass

    def close(self):
        pass


@pytest.mark.parametrize("together", [False, True])
def test_a_watched_fit_moves_within_epochs_with_the_same_numbers(data, monkeypatch, together):
    """Calls of a step or two: the bar moves by fractions of an epoch; nothing else changes."""
    bars = []

    def recorded(*args, **kwargs):
        bars.append(_RecordedBar())
        return bars[-1]

    monkeypatch.setattr(whole_fit_module, "progress_bar", recorded)
    x, y, xv, yv = data
    runs = []
    for verbose in (0, 1):
        if verbose:  # every call a step: the most a fit can be cut
            monkeypatch.setattr(pacing, "CALL_SECONDS", 1e-9)
        models = [_gru(seed) for seed in (1, 2)]
        runs.append(
            fit_members(
                models[0],
                x,
                y,
                members=models[1:],
                validation_data=(xv, yv),
                epochs=12,
                patience=2,
                monitor="val_forecast_mae",
                metrics=["forecast_mae"],
                seed=5,
                vmap_members=together,
                verbose=verbose,
            )
        )
    silent, watched = runs
    assert watched.histories == silent.histories  # exactly
    for (ta, na), (tb, nb) in zip(silent.weights, watched.weights):
        for a, b in zip([*ta, *na], [*tb, *nb]):
            np.testing.assert_array_equal(a, b)
    positions = [p for bar in bars for p in bar.positions]
    assert any(p != int(p) for p in positions)  # inside an epoch
    steps_per_epoch = 5  # 160 samples in batches of 32; a call per step
    epochs_run = sum(len(h["loss"]) for h in silent.histories)
    assert len(positions) >= steps_per_epoch * (max if together else sum)(
        len(h["loss"]) for h in silent.histories
    )
    assert epochs_run < 24  # early stopping ended a member inside the watched calls too
