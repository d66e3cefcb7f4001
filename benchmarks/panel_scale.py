"""One global model over a large synthetic panel: memory, seconds per epoch, and the alternatives.

Issue #12 asks that 10,000 series × 1,000 points train without copying
windows, with peak memory within 2× the raw series array plus the model,
and one epoch's time measured against Keras ``fit`` on the same pooled
windows; and what a per-series loop of the same model would cost. Each
configuration runs in a fresh Python process (``--worker``), so that one's
memory does not count in another's; the panel is written once to a
``.npy`` file that each process loads, as a user's process would load its
data. The parts:

* ``baseline``: a process that only imports seqcast, JAX and Keras and starts
  JAX's CPU client. Its peak RSS is what every other figure is reported
  beside (raw, and with it subtracted).
* ``seqcast``: pooled training with ``seqcast.training.fit`` (the compiled
  trainer), model ``gru`` of the zoo, MSE, Adam, every series scaled on its
  own (mean and standard deviation). The windows are lazy
  (``seqcast.data.windows.panel_windows``): only the flat series array is
  on the device. ``--windows-per-series K`` trains each epoch on a block
  of K consecutive windows at a random place in every series, still a lazy
  view of the whole panel (what a full epoch would take on two CPU cores,
  about ten minutes, is too long to measure here); 0 takes every window.
* ``memory`` (only with ``--windows-per-series``): peak RSS of a real epoch
  over *every* window of the panel, the whole panel on the device. That
  epoch is one XLA call, which allocates its buffers (the shuffled order of
  all windows among them) when it starts; the process is watched for
  ``--memory-seconds`` after the epoch begins and then stopped, so the epoch
  is not finished and its time is not measured.
* ``tiny``: the ``seqcast`` configuration on the first 10 series: the
  memory this model and trainer need whatever the data (compiled programs,
  XLA's buffers), for telling the data's share apart.
* ``keras``: Keras ``model.fit`` (JAX backend) on the same windows as
  ``seqcast``, same model, initial weights, batch, loss and optimizer. Keras
  needs arrays, so the windows are materialised (``np.asarray``): the bytes
  of those arrays are reported, and what the whole panel's would be.
* ``loop``: the same model fitted on each of the first ``--loop-series``
  series alone (``training.fit``, a fresh model per series, ``--epochs``
  epochs, ``--loop-batch`` windows a step), the time per series, and that
  time × the number of series: an extrapolation, said as one.
* ``read``: ``seqcast.data.panel.read_panel`` of the whole panel as a long
  table (id, date, value; what ``Forecaster.fit`` reads it with), the reading
  alone. This process loads pandas but not JAX, so its memory is not set
  against the baseline.

    python benchmarks/panel_scale.py [--series 10000] [--length 1000]
        [--window 30] [--horizon 7] [--batch 1024] [--epochs 3]
        [--windows-per-series 20] [--loop-series 20] [--loop-batch 32]
        [--only baseline,seqcast,...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("SEQCAST_CACHE_DIR", "off")  # compile times are part of the figures

import numpy as np

PARTS = ("baseline", "seqcast", "memory", "tiny", "keras", "loop", "read")
MODEL = "gru"
TINY_SERIES = 10
RESULT = "RESULT "  # a worker's last line: this prefix, then its JSON
EPOCH_STARTED = "EPOCH_STARTED"


# --------------------------------------------------------------------------- measuring


def peak_rss_bytes() -> int:
    """This process's peak resident memory (VmHWM), in bytes."""
    return _status_bytes(Path("/proc/self/status"), "VmHWM")


def _status_bytes(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024  # the kernel writes kB
    raise RuntimeError(f"no {field} in {path}")


def epoch_timer(seconds: list[float], announce: bool = False):
    """A Keras callback appending every epoch's wall time to ``seconds`` (both trainers call it).

    With ``announce`` it prints a line as each epoch starts, for a watching parent.
    """
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if announce:
                print(EPOCH_STARTED, flush=True)
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.started)

    return EpochTimer()


def warm_epoch_seconds(seconds: list[float], compiles_in_first: bool) -> float:
    """The median epoch that compiled nothing: all of them, or all but Keras's first.

    >>> warm_epoch_seconds([9.0, 2.0, 4.0], compiles_in_first=True)
    3.0
    >>> warm_epoch_seconds([2.0, 4.0, 3.0], compiles_in_first=False)
    3.0
    """
    warm = seconds[1:] if compiles_in_first and len(seconds) > 1 else seconds
    return float(statistics.median(warm))


# --------------------------------------------------------------------------- the data


def scaled_panel(path: Path, n_series: int | None = None) -> np.ndarray:
    """The panel from ``path`` (the first ``n_series``), each series standardised on its own."""
    values = np.load(path, mmap_mode="r" if n_series else None)
    values = np.array(values[:n_series]) if n_series else values
    values -= values.mean(axis=1, keepdims=True)
    values /= values.std(axis=1, keepdims=True)
    return values


def window_block(windows, per_series: int, seed: int = 0):
    """A lazy view of ``per_series`` consecutive windows of every series, at random places.

    ``windows`` is a ``WindowedSeries`` of many series (``panel_windows``);
    the view shares its values (nothing is copied) and numbers its samples
    series by series, as ``panel_windows`` does, only with ``per_series`` of
    each. Series with fewer windows are refused.

    >>> from seqcast.data.windows import panel_windows
    >>> x, y = panel_windows([np.arange(10.0), 100 + np.arange(10.0)], window=3, horizon=1)
    >>> block = window_block(x, 2, seed=0)
    >>> block.shape, np.asarray(block)[:, 0, 0].tolist()
    ((4, 3, 1), [5.0, 6.0, 103.0, 104.0])
    """
    from seqcast.data.windows import WindowedSeries

    firsts, shifts = (np.asarray(part, dtype=np.int64) for part in windows.segments)
    counts = np.diff(np.append(firsts, windows.count))
    if counts.min() < per_series:
        raise ValueError(f"a series has {counts.min()} windows, fewer than {per_series}")
    starts = firsts + np.random.default_rng(seed).integers(0, counts - per_series + 1)
    new_firsts = np.arange(len(firsts), dtype=np.int64) * per_series
    # Sample i of series s was at position i + shifts[s]; block sample j of s is
    # old sample starts[s] + (j - new_firsts[s]).
    new_shifts = starts + shifts - new_firsts
    segments = (new_firsts.astype(np.int32), new_shifts.astype(np.int32))
    return WindowedSeries(
        windows.values, windows.offsets, len(firsts) * per_series, segments, windows.column
    )


def pooled_windows(values: np.ndarray, model, args: dict, per_series: int):
    """The lazy (x, y) windows of every series of ``values``, or a block of each."""
    from seqcast import network

    x, y = network.training_windows(
        list(values), model, MODEL, window=args["window"], horizon=args["horizon"]
    )
    if per_series and x.segments is not None:
        x, y = window_block(x, per_series), window_block(y, per_series)
    return x, y


def build_model(args: dict, seed: int = 0):
    import keras

    from seqcast import network

    keras.utils.set_random_seed(seed)
    model = network.build(MODEL, window=args["window"], horizon=args["horizon"], features=1)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(1e-3))
    return model


def model_bytes(model) -> int:
    """The model's weights in bytes (float32); Adam keeps two more copies while training."""
    return int(model.count_params()) * 4


# --------------------------------------------------------------------------- the workers


def run_baseline(args: dict) -> dict:
    import jax.numpy as jnp
    import keras  # noqa: F401

    from seqcast import training  # noqa: F401

    jnp.zeros(1).block_until_ready()  # the CPU client and its thread pools start here
    return {"peak_rss": peak_rss_bytes()}


def run_seqcast(args: dict, n_series: int | None = None, per_series: int | None = None) -> dict:
    from seqcast import training

    per_series = args["windows_per_series"] if per_series is None else per_series
    values = scaled_panel(Path(args["data"]), n_series)
    model = build_model(args)
    x, y = pooled_windows(values, model, args, per_series)
    del values  # panel_windows copied the series into one flat array
    times: list[float] = []
    history = training.fit(
        model,
        x,
        y,
        epochs=args["epochs"],
        batch_size=args["batch"],
        callbacks=[epoch_timer(times)],
        verbose=0,
        seed=0,
    )
    return {
        "windows": len(x),
        "steps_per_epoch": -(-len(x) // args["batch"]),
        "compile_seconds": history.compile_seconds,
        "epoch_seconds": times,
        "loss": history.history["loss"],
        "model_bytes": model_bytes(model),
        "series_bytes": int(x.values.nbytes),
        "peak_rss": peak_rss_bytes(),
    }


def run_memory(args: dict) -> dict:
    """An epoch over every window: announced, then watched by the parent, which stops it."""
    from seqcast import training

    values = scaled_panel(Path(args["data"]))
    model = build_model(args)
    x, y = pooled_windows(values, model, args, 0)
    del values
    announcer = epoch_timer([], announce=True)
    training.fit(model, x, y, epochs=1, batch_size=args["batch"], callbacks=[announcer],
                 verbose=0, seed=0)  # fmt: skip
    return {"windows": len(x), "finished": True, "peak_rss": peak_rss_bytes()}


def run_keras(args: dict) -> dict:
    import jax.numpy as jnp

    values = scaled_panel(Path(args["data"]))
    model = build_model(args)
    x, y = pooled_windows(values, model, args, args["windows_per_series"])
    all_windows = x.segments is None or not args["windows_per_series"]
    total = len(x) if all_windows else _window_total(values.shape, args)
    per_window = (np.prod(x.shape[1:]) + np.prod(y.shape[1:])) * 4
    started = time.perf_counter()
    x_array, y_array = np.asarray(x), np.asarray(y)
    materialise_seconds = time.perf_counter() - started
    del values, x, y
    jnp.zeros(1).block_until_ready()
    times: list[float] = []
    model.fit(
        x_array,
        y_array,
        epochs=args["epochs"],
        batch_size=args["batch"],
        callbacks=[epoch_timer(times)],
        verbose=0,
        shuffle=True,
    )
    return {
        "windows": len(x_array),
        "epoch_seconds": times,
        "materialised_bytes": int(x_array.nbytes + y_array.nbytes),
        "materialise_seconds": materialise_seconds,
        "all_windows_bytes": int(total * per_window),
        "peak_rss": peak_rss_bytes(),
    }


def _window_total(shape: tuple[int, int], args: dict) -> int:
    n_series, length = shape
    return n_series * max(length - args["window"] - args["horizon"] + 1, 0)


def run_loop(args: dict) -> dict:
    """The same model fitted on each series alone, a fresh network each time."""
    from seqcast import training

    values = scaled_panel(Path(args["data"]), args["loop_series"])
    seconds = []
    for row in values:
        started = time.perf_counter()
        model = build_model(args)
        x, y = pooled_windows(row[None], model, args, 0)
        training.fit(model, x, y, epochs=args["epochs"], batch_size=args["loop_batch"],
                     verbose=0, seed=0)  # fmt: skip
        seconds.append(time.perf_counter() - started)
    return {"series": len(values), "windows_per_series": len(x), "series_seconds": seconds,
            "peak_rss": peak_rss_bytes()}  # fmt: skip


def run_read(args: dict) -> dict:
    from seqcast.data.panel import read_panel
    from seqcast.data.synthetic import synthetic_panel

    frame = synthetic_panel(args["series"], args["length"], seed=args["seed"])
    started = time.perf_counter()
    panel = read_panel(frame, id_column="series")
    seconds = time.perf_counter() - started
    return {"rows": len(frame), "series": len(panel), "seconds": seconds,
            "peak_rss": peak_rss_bytes()}  # fmt: skip


def run_tiny(args: dict) -> dict:
    return run_seqcast(args, n_series=min(TINY_SERIES, args["series"]), per_series=0)


WORKERS = {
    "baseline": run_baseline,
    "seqcast": run_seqcast,
    "memory": run_memory,
    "tiny": run_tiny,
    "keras": run_keras,
    "loop": run_loop,
    "read": run_read,
}


# --------------------------------------------------------------------------- the parent


def run_part(part: str, args: dict, timeout: float) -> dict:
    """``part`` in a fresh process; its result, or what stopped it."""
    command = [sys.executable, __file__, "--worker", part, "--args", json.dumps(args)]
    started = time.perf_counter()
    if part == "memory":
        total = _window_total((args["series"], args["length"]), args)
        result = _watched(command, args["memory_seconds"], timeout, total)
    else:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        result = _result(done.stdout, done.stderr, done.returncode)
    result["process_seconds"] = time.perf_counter() - started
    return result


def _result(stdout: str, stderr: str, returncode: int) -> dict:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    tail = "\n".join(stderr.splitlines()[-15:])
    raise RuntimeError(f"the worker failed (exit {returncode}):\n{tail}")


def _watched(command: list[str], watch: float, timeout: float, windows: int) -> dict:
    """Run ``command`` until ``watch`` seconds after its epoch starts; its peak RSS meanwhile."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        status = Path(f"/proc/{process.pid}/status")
        deadline = time.monotonic() + timeout
        lines = []
        try:
            for line in process.stdout:  # blocks until the worker writes
                lines.append(line)
                if line.startswith(EPOCH_STARTED):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("the memory worker did not start its epoch in time")
            else:
                process.wait()
                errors.seek(0)
                return _result("".join(lines), errors.read(), process.returncode)
            at_start = _status_bytes(status, "VmHWM")
            samples = []
            end = time.monotonic() + watch
            while time.monotonic() < end and process.poll() is None:
                samples.append(_status_bytes(status, "VmRSS"))
                time.sleep(0.25)
            if process.poll() is not None:  # the epoch finished within the watch
                rest = process.stdout.read()
                errors.seek(0)
                return _result("".join(lines) + rest, errors.read(), process.returncode)
            peak = _status_bytes(status, "VmHWM")
        finally:
            if process.poll() is None:
                process.kill()  # the worker this function started, by its own handle
                process.wait()
    return {
        "finished": False,
        "windows": windows,
        "watched_seconds": watch,
        "peak_rss_at_epoch_start": at_start,
        "peak_rss": peak,
        "rss_samples_max": max(samples, default=0),
    }


def summary(results: dict, args: dict) -> dict:
    """The figures the report states, computed from the workers' results."""
    figures: dict = {}
    base = results.get("baseline", {}).get("peak_rss")
    seq = results.get("seqcast")
    raw = args["series"] * args["length"] * 4
    figures["raw_array_bytes"] = raw
    if seq:
        figures["model_bytes"] = seq["model_bytes"]
        figures["seqcast_epoch_seconds"] = warm_epoch_seconds(seq["epoch_seconds"], False)
        figures["seqcast_windows_per_second"] = seq["windows"] / figures["seqcast_epoch_seconds"]
        full = _window_total((args["series"], args["length"]), args)
        figures["all_windows"] = full
        # An estimate, said as one: the measured rate over every window of the panel.
        figures["estimated_full_epoch_seconds"] = full / figures["seqcast_windows_per_second"]
        target = 2 * (raw + seq["model_bytes"])
        figures["memory_target_bytes"] = target
        for name in ("seqcast", "memory", "tiny", "keras", "loop"):
            if name in results:
                peak = results[name]["peak_rss"]
                figures[f"{name}_peak_rss"] = peak
                if base is not None:
                    figures[f"{name}_peak_rss_over_baseline"] = peak - base
        pooled = results.get("memory", seq)
        if base is not None:
            figures["pooled_over_baseline_vs_target"] = (pooled["peak_rss"] - base) / target
        if "tiny" in results:
            figures["pooled_over_tiny_vs_target"] = (
                pooled["peak_rss"] - results["tiny"]["peak_rss"]
            ) / target
    if seq and "keras" in results:
        keras_epoch = warm_epoch_seconds(results["keras"]["epoch_seconds"], True)
        figures["keras_epoch_seconds"] = keras_epoch
        figures["keras_over_seqcast"] = keras_epoch / figures["seqcast_epoch_seconds"]
    if seq and "loop" in results:
        loop = results["loop"]["series_seconds"]
        warm = loop[1:] if len(loop) > 1 else loop
        figures["loop_first_series_seconds"] = loop[0]
        figures["loop_series_seconds"] = float(statistics.median(warm))
        figures["loop_extrapolated_seconds"] = figures["loop_series_seconds"] * args["series"]
        figures["pooled_estimated_seconds"] = (
            figures["estimated_full_epoch_seconds"] * args["epochs"]
        )
        figures["loop_over_pooled"] = (
            figures["loop_extrapolated_seconds"] / figures["pooled_estimated_seconds"]
        )
    if "read" in results:  # its process loads pandas, not JAX: no baseline to subtract
        figures["read_seconds"] = results["read"]["seconds"]
        figures["read_peak_rss"] = results["read"]["peak_rss"]
    return figures


def report(results: dict, figures: dict, args: dict) -> str:
    """The figures as Markdown lines, for the terminal and benchmarks/README.md."""
    mb = 1e6
    lines = [
        f"panel {args['series']:,} series x {args['length']:,} points, model {MODEL} "
        f"(window {args['window']}, horizon {args['horizon']}), batch {args['batch']}, "
        f"{args['epochs']} epochs",
        "",
        "| process | windows | peak RSS MB | minus baseline MB | s/epoch (warm) |",
        "|---|---|---|---|---|",
    ]
    base = results.get("baseline", {}).get("peak_rss")
    for name in PARTS:
        if name not in results:
            continue
        result = results[name]
        jax_free = name == "read"  # loads no JAX: the baseline is not its own
        over = "" if base is None or jax_free else f"{(result['peak_rss'] - base) / mb:.0f}"
        epoch = ""
        if "epoch_seconds" in result:
            epoch = f"{warm_epoch_seconds(result['epoch_seconds'], name == 'keras'):.2f}"
        windows = f"{result['windows']:,}" if "windows" in result else ""
        lines.append(f"| {name} | {windows} | {result['peak_rss'] / mb:.0f} | {over} | {epoch} |")
    lines.append("")
    for key, value in figures.items():
        text = f"{value / mb:.1f} MB" if key.endswith("bytes") or "rss" in key else f"{value:.4g}"
        lines.append(f"- {key}: {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--length", type=int, default=1_000)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--horizon", type=int, default=7)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--windows-per-series", type=int, default=20,
                        help="windows of each series per epoch (0: all of them)")  # fmt: skip
    parser.add_argument("--memory-seconds", type=float, default=20.0)
    parser.add_argument("--loop-series", type=int, default=20)
    parser.add_argument("--loop-batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per process")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.worker:  # a fresh process measuring one configuration
        result = WORKERS[options.worker](json.loads(options.args))
        print(RESULT + json.dumps(result), flush=True)
        return result

    parts = [part.strip() for part in options.only.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts {unknown}; choose among {', '.join(PARTS)}")
    if not options.windows_per_series and "memory" in parts:
        parts.remove("memory")  # the seqcast process itself trains on every window
    args = {key: value for key, value in vars(options).items() if key not in ("worker", "args")}
    args["json"] = None if options.json is None else str(options.json)
    with tempfile.TemporaryDirectory() as folder:
        from seqcast.data.synthetic import synthetic_panel_values

        path = Path(folder) / "panel.npy"
        np.save(path, synthetic_panel_values(options.series, options.length, seed=options.seed))
        args["data"] = str(path)
        results = {}
        for part in parts:
            print(f"[{time.strftime('%H:%M:%S')}] {part} ...", file=sys.stderr, flush=True)
            results[part] = run_part(part, args, options.timeout)
    figures = summary(results, args)
    print(report(results, figures, args))
    output = {"args": args, "results": results, "figures": figures}
    if options.json is not None:
        from seqcast.files import write_text

        write_text(options.json, json.dumps(output, indent=2))
    return output


if __name__ == "__main__":
    main()
