"""Data parallel training of one large panel: one epoch on 1, 2 and 4 devices, time and memory.

Issue #13 asks for a synthetic panel of 100,000 series × 1,000 points, one
epoch at a global batch of 1,024 windows, with its time and peak memory, on
one device and on 2 and 4 forced host devices
(``XLA_FLAGS=--xla_force_host_platform_device_count=N``). Each device count
runs in a fresh Python process, since the flag must be set before JAX
starts, and so that one run's memory does not count in the next.

On a machine of two cores, N host devices share those two cores: the runs
show the overhead of splitting and the correctness of the result (the same
loss on every count), not a speed-up. Peak memory is the process's peak
resident size (VmHWM), beside two references: the same process before the
panel exists (the interpreter, JAX, Keras and seqcast loaded, the CPU
client started), and a whole run of the same model and trainer on
``--reference-series`` series (10), whose extra peak is compiling and
XLA's own buffers, whatever the data. Over the second is what the panel
costs.

The model is small on purpose (one GRU of ``--units`` units over
``--window`` steps, one step ahead), so that one full epoch of 95 million
windows fits in minutes on a CPU; the trainer, the windows and the sharding
are those of any model.

    python benchmarks/scale_out.py [--series 100000] [--points 1000] [--window 24]
        [--units 16] [--batch 1024] [--devices 1,2,4] [--reference-series 10]
        [--json out.json]
    python benchmarks/scale_out.py --processes 2 --series 1000 [--process-batches 128,1024]

The second form measures what several processes cost per step on one
machine: one epoch by one process, then by two (each with its half of the
series and one device, joined over 127.0.0.1 with gloo), at each batch.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("SEQCAST_CACHE_DIR", "off")  # compile times are part of the figures

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from panel_scale import peak_rss_bytes  # one way to read memory, in one place

RESULT = "RESULT "


def synthetic_panel(n_series: int, points: int, seed: int = 0) -> np.ndarray:
    """``n_series`` noisy seasonal series of ``points`` values, end to end, float32, scaled.

    Made a thousand series at a time, so nothing bigger than the result is ever held,
    in memory aligned as ``panel_windows`` lays a panel out (the CPU device uses it in place).
    """
    from seqcast.data.windows import aligned_empty

    rng = np.random.RandomState(seed)
    values = aligned_empty((n_series * points,), np.float32)
    t = np.arange(points, dtype=np.float32)
    for start in range(0, n_series, 1000):
        count = min(1000, n_series - start)
        period = rng.choice([7.0, 12.0, 24.0, 52.0], size=(count, 1)).astype(np.float32)
        phase = rng.uniform(0, 2 * np.pi, size=(count, 1)).astype(np.float32)
        block = np.sin(2 * np.pi * t / period + phase) + 0.3 * rng.randn(count, points)
        values[start * points : (start + count) * points] = block.astype(np.float32).ravel()
    return values


def lazy_panel_windows(values: np.ndarray, n_series: int, points: int, window: int):
    """Every (window, next value) pair of every series, lazily: the series are the only copy."""
    from seqcast.data.windows import WindowedSeries

    per_series = points - window
    firsts = (np.arange(n_series) * per_series).astype(np.int32)
    shifts = (np.arange(n_series) * window).astype(np.int32)  # series s starts at s * points
    count = n_series * per_series
    column = values.reshape(-1, 1)
    x = WindowedSeries(column, np.arange(window), count, (firsts, shifts))
    y = WindowedSeries(column, np.array([window]), count, (firsts, shifts), column=0)
    return x, y


def worker(args: dict) -> dict:
    processes = args.get("processes", 1)
    if processes > 1:  # before any JAX use
        from seqcast import distributed

        cluster = distributed.Cluster(f"127.0.0.1:{args['port']}", processes, args["process_id"])
        distributed.join(cluster, timeout=120)
    import jax.numpy as jnp
    import keras

    from seqcast import training

    jnp.zeros(1).block_until_ready()  # the CPU client and its threads start here
    bare = peak_rss_bytes()
    values = synthetic_panel(args["series"], args["points"])
    n_series = args["series"]
    if processes > 1:  # each process keeps only its share of the series
        share = n_series // processes
        first = args["process_id"] * share
        values = values[first * args["points"] : (first + share) * args["points"]].copy()
        n_series = share
    x, y = lazy_panel_windows(values, n_series, args["points"], args["window"])
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((args["window"], 1)), keras.layers.GRU(args["units"]), keras.layers.Dense(1)]
    )
    model.compile(loss="mse", optimizer="adam")
    started = time.perf_counter()
    fitted = training.fit_members(
        model,
        x,
        y,
        epochs=1,
        batch_size=args["batch"],
        seed=0,
        verbose=0,
        devices=args["devices"],
        partitioned=processes > 1,
    )
    wall = time.perf_counter() - started
    return {
        "processes": processes,
        "devices": args["devices"],
        "batch": args["batch"],
        "windows": int(x.count) * processes,  # the shares are equal
        "steps": -(-int(x.count) * processes // args["batch"]),
        "loss": fitted.histories[0]["loss"][0],
        "epoch_seconds": fitted.train_seconds,
        "compile_seconds": fitted.compile_seconds,
        "wall_seconds": wall,
        "series_bytes": int(values.nbytes),
        "model_bytes": int(model.count_params()) * 4,
        "bare_rss": bare,
        "peak_rss": peak_rss_bytes(),
    }


def run(args: dict, devices: int) -> dict:
    env = {**os.environ, "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).parents[1] / "src"), env.get("PYTHONPATH", "")]
    )
    command = [sys.executable, __file__, "--worker", json.dumps({**args, "devices": devices})]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=6 * 3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not lines:
        raise RuntimeError(f"the {devices}-device run failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len(RESULT) :])


def run_processes(args: dict, processes: int) -> dict:
    """One epoch by ``processes`` processes on 127.0.0.1, each with one device and its share."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                json.dumps(
                    {**args, "devices": 1, "processes": processes, "process_id": i, "port": port}
                ),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(processes)
    ]
    outputs = [child.communicate(timeout=6 * 3600) for child in children]
    lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith(RESULT)]
    if any(child.returncode for child in children) or len(lines) != processes:
        raise RuntimeError(f"the {processes}-process run failed:\n{outputs[0][1][-3000:]}")
    return json.loads(lines[0][len(RESULT) :])  # process 0's view: every process trains alike


def processes_report(results: list[dict]) -> str:
    rows = ["processes | batch | steps | epoch s | ms a step | extra ms a step | loss"]
    alone = {r["batch"]: r for r in results if r["processes"] == 1}
    for result in results:
        per_step = 1000 * result["epoch_seconds"] / result["steps"]
        base = alone[result["batch"]]
        extra = per_step - 1000 * base["epoch_seconds"] / base["steps"]
        rows.append(
            f"{result['processes']} | {result['batch']} | {result['steps']:,} | "
            f"{result['epoch_seconds']:.1f} | {per_step:.2f} | {extra:.2f} | {result['loss']:.6f}"
        )
    return "\n".join(rows)


def report(results: list[dict], references: dict[int, dict]) -> str:
    mib = 2**20
    first = results[0]
    rows = [
        f"{first['windows']:,} windows ({first['steps']:,} steps of {first['batch']})"
        f" | series array {first['series_bytes'] / mib:,.0f} MiB"
        f" | model {first['model_bytes'] / 1024:.1f} KiB",
        "devices | epoch s | vs 1 device | compile s | loss | peak RSS MiB | over bare MiB"
        " | over the reference run MiB | that / series array",
    ]
    for result in results:
        over = result["peak_rss"] - result["bare_rss"]
        reference = references.get(result["devices"])
        data = result["peak_rss"] - reference["peak_rss"] if reference else float("nan")
        rows.append(
            f"{result['devices']} | {result['epoch_seconds']:.1f} | "
            f"{result['epoch_seconds'] / first['epoch_seconds']:.2f}x | "
            f"{result['compile_seconds']:.1f} | {result['loss']:.6f} | "
            f"{result['peak_rss'] / mib:,.0f} | {over / mib:,.0f} | {data / mib:,.0f} | "
            f"{data / result['series_bytes']:.2f}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--window", type=int, default=24)
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--devices", default="1,2,4")
    parser.add_argument("--reference-series", type=int, default=10)
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="instead: one epoch by 1 and by this many processes on 127.0.0.1 (each its share "
        "of --series series, one device each), at each of --process-batches",
    )
    parser.add_argument("--process-batches", default="128,1024")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        print(RESULT + json.dumps(worker(json.loads(options.worker))), flush=True)
        return []
    skip = ("devices", "json", "worker", "reference_series", "processes", "process_batches")
    args = {k: v for k, v in vars(options).items() if k not in skip}
    if options.processes:
        runs = []
        for batch in (int(b) for b in options.process_batches.split(",")):
            runs.append(run({**args, "batch": batch}, 1))
            runs.append(run_processes({**args, "batch": batch}, options.processes))
            print(json.dumps(runs[-2:]), flush=True)
        print(processes_report(runs))
        if options.json:
            Path(options.json).write_text(json.dumps(runs, indent=1) + "\n")
        return runs
    results, references = [], {}
    for devices in (int(d) for d in options.devices.split(",")):
        if options.reference_series:
            small = {**args, "series": options.reference_series}
            references[devices] = run(small, devices)
        results.append(run(args, devices))
        print(json.dumps(results[-1]), flush=True)
    print(report(results, references))
    if options.json:
        both = {"runs": results, "references": list(references.values())}
        Path(options.json).write_text(json.dumps(both, indent=1) + "\n")
    return results


if __name__ == "__main__":
    main()
