"""The peers' side of ``benchmarks/peers.py``: Darts and NeuralForecast, run in ``.venv-peers``.

This file runs under the peers' environment (``make bench-peers`` builds it),
never seqcast's: it imports neither seqcast nor Keras, only numpy, torch,
Darts and NeuralForecast. ``peers.py`` writes the data and a JSON spec into a
work folder and starts one process per (system, task); this worker fits,
forecasts, and prints one line ``RESULT {json}`` for the parent to score.

Tasks:

* ``series``: one built-in series. Fit on the training part with early
  stopping on the validation part, then forecast every origin the parent
  lists from the values before it (no refit). Returns the forecasts in the
  data's units; the parent scores them.
* ``panel``: one global model over every series of a built-in panel, early
  stopping on each series' validation part, then every test origin of every
  series (no refit). Returns each series' forecasts in the data's units.
* ``book``: the book's 7,000 / 2,000 synthetic series, one-step targets,
  deep RNN 20-20-Dense, batch 32, a fixed number of epochs. Returns the
  seconds of every epoch and the validation MSE.

    .venv-peers/bin/python benchmarks/peers_worker.py --system darts --task series --workdir DIR
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytorch_lightning as pl

SYSTEMS = ("darts", "neuralforecast")
TASKS = ("series", "book", "panel")


def _quiet() -> None:
    """Silence the libraries' banners and per-epoch logs: only RESULT matters on stdout."""
    warnings.filterwarnings("ignore")
    os.environ.setdefault("NIXTLA_ID_AS_COL", "1")
    for name in ("pytorch_lightning", "lightning", "lightning.pytorch", "darts", "neuralforecast"):
        logging.getLogger(name).setLevel(logging.ERROR)


class EpochClock(pl.Callback):
    """Stamps the start of every training epoch and the end of fit.

    The differences are whole epochs, validation included, whichever hook
    order the Lightning version uses for validation. A module-level class:
    Darts pickles its callbacks with the checkpoints.
    """

    def __init__(self) -> None:
        self.stamps: list[float] = []

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        self.stamps.append(time.perf_counter())

    def on_train_end(self, trainer, pl_module) -> None:
        self.stamps.append(time.perf_counter())

    @property
    def seconds(self) -> list[float]:
        return [b - a for a, b in zip(self.stamps, self.stamps[1:])]


def _fitted_clock(forecaster) -> EpochClock:
    """The clock that ran: NeuralForecast trains a copy of the model it was given."""
    callbacks = forecaster.models[0].trainer_kwargs.get("callbacks", [])
    return next(cb for cb in callbacks if isinstance(cb, EpochClock))


def _trainer_settings(callbacks: list) -> dict:
    return {
        "accelerator": "cpu",
        "callbacks": callbacks,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "logger": False,
    }


# --------------------------------------------------------------------------- built-in series


def _fit_darts_gru(train, valid, spec: dict, workdir: Path, name: str):
    """Darts' GRU (20 x2, linear head) fitted with early stopping; its best epoch, and epochs run.

    ``train`` and ``valid`` are a TimeSeries or lists of them (one global model).
    """
    from darts.models import BlockRNNModel
    from pytorch_lightning.callbacks import EarlyStopping

    clock = EpochClock()
    stop = EarlyStopping("val_loss", patience=spec["patience"], mode="min")
    model = BlockRNNModel(
        input_chunk_length=spec["window"],
        output_chunk_length=spec["horizon"],
        model="GRU",
        hidden_dim=20,
        n_rnn_layers=2,
        batch_size=32,
        n_epochs=spec["epochs"],
        random_state=spec["seed"],
        optimizer_kwargs={"lr": 1e-3},
        pl_trainer_kwargs=_trainer_settings([stop, clock]),
        # keep the best epoch's weights, as seqcast's early stopping restores them
        save_checkpoints=True,
        force_reset=True,
        model_name=name,
        work_dir=str(workdir),
    )
    model.fit(train, val_series=valid, verbose=False)
    epochs = len(clock.seconds)
    best = BlockRNNModel.load_from_checkpoint(name, work_dir=str(workdir), best=True, trusted=True)
    return best, epochs


def series_darts(values: np.ndarray, spec: dict, workdir: Path) -> dict:
    """Darts BlockRNNModel (GRU 20 ×2, linear head), standard-scaled on the training part."""
    from darts import TimeSeries

    window, horizon = spec["window"], spec["horizon"]
    valid_pos, test_pos = spec["valid_pos"], spec["test_pos"]
    started = time.perf_counter()
    # seqcast's "standard" scaler: mean and deviation of the training part only.
    mean, std = values[:valid_pos].mean(), values[:valid_pos].std()
    scaled = ((values - mean) / std).astype("float32")  # float32 as seqcast; float64 is slower
    train = TimeSeries.from_values(scaled[:valid_pos])
    # Validation windows read the `window` values before valid_from, as seqcast's do.
    valid = TimeSeries.from_values(scaled[valid_pos - window : test_pos])
    model, epochs = _fit_darts_gru(train, valid, spec, workdir, "peers_gru")
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    histories = [TimeSeries.from_values(scaled[:origin]) for origin in spec["origins"]]
    predicted = model.predict(n=horizon, series=histories, verbose=False)
    forecasts = np.stack([p.values()[:, 0] for p in predicted]).astype("float64") * std + mean
    return {
        "forecasts": forecasts.tolist(),
        "fit_seconds": fit_seconds,
        "forecast_seconds": time.perf_counter() - started,
        "epochs": epochs,
        "settings": "BlockRNNModel GRU hidden 20 x2 layers, linear head, MSE, Adam 1e-3, "
        "batch 32, early stop val MSE patience, best checkpoint",
    }


def _neuralforecast_gru(spec: dict, steps_per_epoch: int, clock: EpochClock):
    """NeuralForecast's GRU (20 x2, linear head) stopping early, an "epoch" ``steps_per_epoch``."""
    from neuralforecast.losses.pytorch import MSE
    from neuralforecast.models import GRU

    return GRU(
        h=spec["horizon"],
        input_size=spec["window"],
        encoder_n_layers=2,
        encoder_hidden_size=20,
        decoder_layers=1,  # a linear head, as seqcast's Dense
        loss=MSE(),
        learning_rate=1e-3,
        max_steps=spec["epochs"] * steps_per_epoch,
        val_check_steps=steps_per_epoch,
        early_stop_patience_steps=spec["patience"],
        batch_size=32,
        windows_batch_size=32,
        random_seed=spec["seed"],
        **_trainer_settings([clock]),
    )


def series_neuralforecast(values: np.ndarray, spec: dict, workdir: Path) -> dict:
    """NeuralForecast GRU (20 ×2, linear head), its own per-window robust scaler (the default)."""
    import pandas as pd
    from neuralforecast import NeuralForecast

    window, horizon = spec["window"], spec["horizon"]
    valid_pos, test_pos = spec["valid_pos"], spec["test_pos"]
    started = time.perf_counter()
    # NeuralForecast counts steps, not epochs: with one series each step samples
    # windows_batch_size windows, so an "epoch" is as many steps as seqcast's batches.
    n_windows = valid_pos - window - horizon + 1
    steps_per_epoch = math.ceil(n_windows / 32)
    clock = EpochClock()
    model = _neuralforecast_gru(spec, steps_per_epoch, clock)
    frame = pd.DataFrame({"unique_id": "s", "ds": np.arange(test_pos), "y": values[:test_pos]})
    forecaster = NeuralForecast(models=[model], freq=1)
    forecaster.fit(df=frame, val_size=test_pos - valid_pos)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # One series per origin, cut just before it: predict forecasts each series' next values.
    histories = pd.concat(
        [
            pd.DataFrame(
                {"unique_id": f"{origin:06d}", "ds": np.arange(origin), "y": values[:origin]}
            )
            for origin in spec["origins"]
        ]
    )
    predicted = forecaster.predict(df=histories)
    predicted = predicted.sort_values(["unique_id", "ds"])
    forecasts = predicted["GRU"].to_numpy(dtype="float64").reshape(len(spec["origins"]), horizon)
    ids = predicted["unique_id"].drop_duplicates().astype(int).tolist()
    if ids != list(spec["origins"]):
        raise RuntimeError("NeuralForecast returned the origins in another order")
    return {
        "forecasts": forecasts.tolist(),
        "fit_seconds": fit_seconds,
        "forecast_seconds": time.perf_counter() - started,
        # With one series a Lightning epoch is one step: the clock counts steps here.
        "epochs": round(len(_fitted_clock(forecaster).seconds) / steps_per_epoch, 1),
        "settings": "GRU encoder 20 x2 layers, decoder_layers=1 (linear), MSE, Adam 1e-3, "
        "windows_batch_size 32, robust per-window scaler (default), early stop val MSE",
    }


# --------------------------------------------------------------------------- built-in panels


def _split(data: dict) -> list[np.ndarray]:
    """The panel's targets, one array per series, from the concatenation the parent wrote."""
    return np.split(data["values"], np.cumsum(data["lengths"])[:-1])


def panel_darts(targets: list[np.ndarray], spec: dict, workdir: Path) -> dict:
    """One Darts BlockRNNModel (GRU 20 x2, linear head) over every series, min-max scaled each."""
    from darts import TimeSeries

    window, horizon = spec["window"], spec["horizon"]
    started = time.perf_counter()
    # Darts' Scaler default (sklearn MinMaxScaler), one per series, fitted on its training part.
    lows = [t[:v].min() for t, v in zip(targets, spec["valid_pos"])]
    spans = [max(t[:v].max() - low, 1e-12) for t, v, low in zip(targets, spec["valid_pos"], lows)]
    scaled = [((t - low) / span).astype("float32") for t, low, span in zip(targets, lows, spans)]
    train = [TimeSeries.from_values(s[:v]) for s, v in zip(scaled, spec["valid_pos"])]
    # Validation windows read the `window` values before valid_from, as seqcast's do.
    valid = [
        TimeSeries.from_values(s[v - window : t])
        for s, v, t in zip(scaled, spec["valid_pos"], spec["test_pos"])
    ]
    model, epochs = _fit_darts_gru(train, valid, spec, workdir, "peers_panel_gru")
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    histories = [
        TimeSeries.from_values(s[:origin])
        for s, at in zip(scaled, spec["origins"])
        for origin in at
    ]
    predicted = model.predict(n=horizon, series=histories, verbose=False, batch_size=1024)
    flat = np.stack([p.values()[:, 0] for p in predicted]).astype("float64")
    forecasts, start = [], 0
    for at, low, span in zip(spec["origins"], lows, spans):
        forecasts.append((flat[start : start + len(at)] * span + low).tolist())
        start += len(at)
    return {
        "forecasts": forecasts,
        "fit_seconds": fit_seconds,
        "forecast_seconds": time.perf_counter() - started,
        "epochs": epochs,
        "settings": "BlockRNNModel GRU hidden 20 x2 layers, linear head, MSE, Adam 1e-3, "
        "batch 32, min-max per series on its training part (Darts' Scaler default), early "
        "stop val MSE, best checkpoint",
    }


def panel_neuralforecast(targets: list[np.ndarray], spec: dict, workdir: Path) -> dict:
    """One NeuralForecast GRU (20 x2, linear head) over every series, its default robust scaler."""
    import pandas as pd
    from neuralforecast import NeuralForecast

    window, horizon = spec["window"], spec["horizon"]
    gaps = {t - v for t, v in zip(spec["test_pos"], spec["valid_pos"])}
    if len(gaps) != 1:
        raise RuntimeError("NeuralForecast's val_size is one length for every series")
    started = time.perf_counter()
    # A step draws windows_batch_size windows: an "epoch" is as many steps as seqcast's batches.
    n_windows = sum(max(v - window - horizon + 1, 0) for v in spec["valid_pos"])
    steps_per_epoch = math.ceil(n_windows / 32)
    lightning_steps = math.ceil(len(targets) / 32)
    clock = EpochClock()
    model = _neuralforecast_gru(spec, steps_per_epoch, clock)
    frame = pd.concat(
        [
            pd.DataFrame({"unique_id": f"{i:04d}", "ds": np.arange(t), "y": y[:t]})
            for i, (y, t) in enumerate(zip(targets, spec["test_pos"]))
        ]
    )
    forecaster = NeuralForecast(models=[model], freq=1)
    forecaster.fit(df=frame, val_size=gaps.pop())
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # One series per (series, origin), cut just before the origin.
    histories = pd.concat(
        [
            pd.DataFrame(
                {"unique_id": f"{i:04d}-{origin:06d}", "ds": np.arange(origin), "y": y[:origin]}
            )
            for i, (y, at) in enumerate(zip(targets, spec["origins"]))
            for origin in at
        ]
    )
    predicted = forecaster.predict(df=histories).sort_values(["unique_id", "ds"])
    flat = predicted["GRU"].to_numpy(dtype="float64").reshape(-1, horizon)
    forecasts, start = [], 0
    for at in spec["origins"]:
        forecasts.append(flat[start : start + len(at)].tolist())
        start += len(at)
    return {
        "forecasts": forecasts,
        "fit_seconds": fit_seconds,
        "forecast_seconds": time.perf_counter() - started,
        # A Lightning epoch here is one batch of series, ceil(series / 32) steps.
        "epochs": round(
            len(_fitted_clock(forecaster).seconds) * lightning_steps / steps_per_epoch, 1
        ),
        "settings": "GRU encoder 20 x2 layers, decoder_layers=1 (linear), MSE, Adam 1e-3, "
        "windows_batch_size 32, robust per-window scaler (default), early stop val MSE on the "
        "last steps before test_from, last weights",
    }


# --------------------------------------------------------------------------- the book task


def book_darts(data: dict, spec: dict) -> dict:
    """Darts BlockRNNModel with a plain RNN, hidden 20 ×2, linear head: the book's 20-20-Dense."""
    from darts import TimeSeries
    from darts.models import BlockRNNModel

    started = time.perf_counter()
    series = lambda x, y: [  # noqa: E731
        TimeSeries.from_values(np.append(xs[:, 0], target).astype("float32"))
        for xs, target in zip(x, y)
    ]
    train = series(data["x_train"], data["y_train"][:, 0])
    valid = series(data["x_valid"], data["y_valid"][:, 0])
    clock = EpochClock()
    model = BlockRNNModel(
        input_chunk_length=data["x_train"].shape[1],
        output_chunk_length=1,
        model="RNN",
        hidden_dim=20,
        n_rnn_layers=2,
        batch_size=32,
        n_epochs=spec["epochs"],
        random_state=spec["seed"],
        optimizer_kwargs={"lr": 1e-3},
        pl_trainer_kwargs=_trainer_settings([clock]),
    )
    model.fit(train, val_series=valid, verbose=False)
    fit_seconds = time.perf_counter() - started
    inputs = [TimeSeries.from_values(x[:, 0].astype("float32")) for x in data["x_valid"]]
    predicted = model.predict(n=1, series=inputs, verbose=False, batch_size=1024)
    y_pred = np.array([p.values()[0, 0] for p in predicted], dtype="float64")
    return {
        "epoch_seconds": clock.seconds,
        "fit_seconds": fit_seconds,
        "val_mse": float(np.mean((data["y_valid"][:, 0] - y_pred) ** 2)),
        "settings": "BlockRNNModel RNN hidden 20 x2, linear head, MSE, Adam 1e-3, batch 32, "
        "validation every epoch",
    }


def book_neuralforecast(data: dict, spec: dict) -> dict:
    """NeuralForecast RNN, encoder 20 ×2 (tanh), decoder_layers=1: the book's 20-20-Dense."""
    import pandas as pd
    from neuralforecast import NeuralForecast
    from neuralforecast.losses.pytorch import MSE
    from neuralforecast.models import RNN

    started = time.perf_counter()
    n_series, n_steps = data["x_train"].shape[:2]
    steps_per_epoch = math.ceil(n_series / 32)
    values = np.concatenate([data["x_train"][:, :, 0], data["y_train"]], axis=1)
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n_series), n_steps + 1),
            "ds": np.tile(np.arange(n_steps + 1), n_series),
            "y": values.reshape(-1).astype("float64"),
        }
    )
    clock = EpochClock()
    model = RNN(
        h=1,
        input_size=n_steps,
        encoder_n_layers=2,
        encoder_hidden_size=20,
        encoder_activation="tanh",
        decoder_layers=1,
        loss=MSE(),
        learning_rate=1e-3,
        # Each series of 51 values holds exactly one training window (50 in, 1 out), and
        # a step draws 32 series: one Lightning epoch is one pass over the 7,000 windows.
        max_steps=spec["epochs"] * steps_per_epoch,
        batch_size=32,
        windows_batch_size=32,
        scaler_type="identity",  # the book does not scale: the series are already small
        random_seed=spec["seed"],
        **_trainer_settings([clock]),
    )
    forecaster = NeuralForecast(models=[model], freq=1)
    # No validation during training: NeuralForecast validates on the tail of the training
    # series themselves, and here the validation series are separate ones.
    forecaster.fit(df=frame)
    fit_seconds = time.perf_counter() - started
    n_valid = len(data["x_valid"])
    inputs = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n_valid), n_steps),
            "ds": np.tile(np.arange(n_steps), n_valid),
            "y": data["x_valid"][:, :, 0].reshape(-1).astype("float64"),
        }
    )
    predicted = forecaster.predict(df=inputs).sort_values("unique_id")
    y_pred = predicted["RNN"].to_numpy(dtype="float64")
    return {
        "epoch_seconds": _fitted_clock(forecaster).seconds,
        "fit_seconds": fit_seconds,
        "val_mse": float(np.mean((data["y_valid"][:, 0] - y_pred) ** 2)),
        "settings": "RNN encoder 20 x2 tanh, decoder_layers=1 (linear), MSE, Adam 1e-3, "
        "32 windows a step, no scaler, no validation during training",
    }


# --------------------------------------------------------------------------- entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--system", choices=SYSTEMS, required=True)
    parser.add_argument("--task", choices=TASKS, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=1, help="torch threads; 0: torch's default")
    args = parser.parse_args()
    _quiet()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    spec = json.loads((args.workdir / "spec.json").read_text())
    data = dict(np.load(args.workdir / "data.npz"))
    if args.task == "series":
        run = series_darts if args.system == "darts" else series_neuralforecast
        result = run(data["values"], spec, args.workdir)
    elif args.task == "panel":
        run = panel_darts if args.system == "darts" else panel_neuralforecast
        result = run(_split(data), spec, args.workdir)
    else:
        run = book_darts if args.system == "darts" else book_neuralforecast
        result = run(data, spec)
    import torch

    result["versions"] = {"torch": torch.__version__, **_versions()}
    result["torch_threads"] = torch.get_num_threads()
    print("RESULT " + json.dumps(result))
    return 0


def _versions() -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in ("darts", "neuralforecast", "pytorch-lightning")}


if __name__ == "__main__":
    sys.exit(main())
