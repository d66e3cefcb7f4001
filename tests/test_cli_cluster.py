"""``seqcast fit`` by many processes: one model, process 0 speaks and writes, a death stops all."""

import os

import numpy as np
import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import the_error
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model


def panel_csv(path):
    """Six noisy sines of different lengths and levels, one row per (id, date)."""
    rng = np.random.RandomState(0)
    rows = []
    for i in range(6):
        dates = pd.date_range("2020-01-01", periods=100 + 10 * i, freq="D")
        values = np.sin(np.arange(len(dates)) / 4 + i) * (i + 1) + 10 + rng.randn(len(dates)) * 0.1
        rows.append(pd.DataFrame({"id": f"s{i}", "date": dates, "y": values}))
    pd.concat(rows).to_csv(path, index=False)
    return path


PANEL_FIT = [
    "--id-column", "id", "--target", "y", "--model", "gru", "--window", "10", "--horizon", "2",
    "--epochs", "3", "--valid-from", "2020-03-25", "--quiet",
]  # fmt: skip


def run_processes(arguments: list[str], count: int, cwd) -> list[tuple[int, str, str]]:
    """``seqcast`` ``arguments`` started ``count`` times on 127.0.0.1, one per process id."""
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.path.join(os.path.dirname(__file__), "..", "src")}
    flags = ["--coordinator", f"127.0.0.1:{port}", "--num-processes", str(count)]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "seqcast.cli", *arguments, *flags, "--process-id", str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
        )
        for i in range(count)
    ]
    results = []
    try:
        for child in children:
            out, err = child.communicate(timeout=300)
            results.append((child.returncode, out, err))
    finally:
        for child in children:
            child.kill()
    return results


def seqcast_lines(text: str) -> list[str]:
    """What seqcast printed, without gloo's own line about its peers."""
    return [line for line in text.splitlines() if line and not line.startswith("[Gloo]")]


def test_two_processes_write_the_model_one_process_writes(tmp_path):
    from seqcast.data.partition import write_partitioned
    from seqcast.forecaster import Forecaster

    data = panel_csv(tmp_path / "panel.csv")
    write_partitioned(pd.read_csv(data), tmp_path / "parts", id_column="id")
    one = tmp_path / "one.seqcast"
    assert main(["fit", str(data), *PANEL_FIT, "--out", str(one)]) == 0
    shared = run_processes(["fit", "panel.csv", *PANEL_FIT, "--out", "two.seqcast"], 2, tmp_path)
    shares = run_processes(
        ["fit", "parts", "--partitioned", *PANEL_FIT, "--out", "parts.seqcast"], 2, tmp_path
    )
    for (code0, out0, err0), (code1, out1, err1) in (shared, shares):
        assert code0 == code1 == 0, err0 + err1
        assert seqcast_lines(out0)[-1].startswith("wrote ")  # process 0 speaks and writes
        assert seqcast_lines(out1) == []  # the others are quiet
    # process 0 read only its three series from the partitions, and said so
    assert "on 3 series" in seqcast_lines(shares[0][1])[0]
    history = pd.read_csv(data)
    history = history[history["date"] < "2020-03-25"]
    expected = Forecaster.load(one).predict(history)["y"].to_numpy()
    for name in ("two.seqcast", "parts.seqcast"):
        got = Forecaster.load(tmp_path / name).predict(history)["y"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5, err_msg=name)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".seqcast") == [
        "one.seqcast", "parts.seqcast", "two.seqcast",
    ]  # fmt: skip
    # the partition folder is read whole by forecast: every series, not only process 0's
    out = tmp_path / "next.csv"
    assert main(["forecast", str(tmp_path / "parts.seqcast"), str(tmp_path / "parts"),
                 "--csv", str(out)]) == 0  # fmt: skip
    assert sorted(pd.read_csv(out)["id"].unique()) == [f"s{i}" for i in range(6)]


def test_the_model_search_stays_on_one_process(data_csv, folder, capsys):
    flags = ["--coordinator", "127.0.0.1:1", "--num-processes", "2", "--process-id", "0"]
    code = main(["fit", str(data_csv), "--model", "auto", "--out", str(folder / "x"), *flags])
    assert code == 2
    assert "--model auto searches on one process" in the_error(capsys.readouterr())
    assert not (folder / "x").exists()


def test_a_process_killed_mid_fit_stops_the_others_and_writes_nothing(tmp_path):
    import socket
    import subprocess
    import sys
    import threading
    import time

    panel_csv(tmp_path / "panel.csv")
    model = tmp_path / "model.seqcast"
    model.write_bytes(b"an earlier model")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.path.join(os.path.dirname(__file__), "..", "src")}
    arguments = [
        sys.executable, "-m", "seqcast.cli", "fit", "panel.csv", *PANEL_FIT[:-1],
        "--epochs", "100000", "--patience", "100000", "--out", str(model),
        "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2", "--process-id",
    ]  # fmt: skip
    first, second = (
        subprocess.Popen(
            [*arguments, str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        for i in range(2)
    )
    told = bytearray()

    def read() -> None:
        for chunk in iter(lambda: first.stderr.read1(4096), b""):
            told.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while b"epoch" not in told:  # process 0's progress bar: training has begun
            assert time.monotonic() < deadline and first.poll() is None, told.decode()
            time.sleep(0.2)
        second.kill()
        killed = time.monotonic()
        first.wait(timeout=60)
        stopped_after = time.monotonic() - killed
    finally:
        first.kill()
        second.kill()
    reader.join(timeout=10)
    first.stdout.close()
    second.stdout.close()
    second.stderr.close()
    assert first.returncode == 2
    assert stopped_after < 30  # within the heartbeat (20 s), in practice at once
    errors = [line for line in told.decode().splitlines() if "seqcast: error:" in line]
    assert len(errors) == 1 and "Traceback" not in told.decode()
    assert "training stopped on process 0 of 2 because another process died" in errors[0]
    assert model.read_bytes() == b"an earlier model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.seqcast", "panel.csv"]
