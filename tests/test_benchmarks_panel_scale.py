"""benchmarks/panel_scale.py on a tiny panel: its views, its workers and its report's structure.

The workers run in this process here (the benchmark runs each in a fresh one
so that their memory can be told apart); one subprocess run checks that path.
"""

import doctest
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from seqcast.data.synthetic import synthetic_panel_values
from seqcast.data.windows import panel_windows

PATH = Path(__file__).parents[1] / "benchmarks" / "panel_scale.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_panel_scale", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_args(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "panel.npy"
    np.save(path, synthetic_panel_values(4, 48, seed=0))
    return {
        "data": str(path), "series": 4, "length": 48, "window": 6, "horizon": 2,
        "batch": 16, "epochs": 2, "windows_per_series": 3, "loop_series": 2,
        "loop_batch": 8, "seed": 0, "memory_seconds": 1.0,
    }  # fmt: skip


def test_docstring_examples(bench):
    result = doctest.testmod(bench, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_window_block_is_a_lazy_view_of_each_series_own_windows(bench):
    parts = [np.arange(20.0) + 100 * s for s in range(3)]
    x, y = panel_windows(parts, window=4, horizon=2)
    block_x, block_y = bench.window_block(x, 5, seed=1), bench.window_block(y, 5, seed=1)
    assert block_x.shape == (15, 4, 1) and block_y.shape == (15, 2)
    assert block_x.values is x.values  # shares the panel: nothing copied
    inputs, targets = np.asarray(block_x)[:, :, 0], np.asarray(block_y)
    for s in range(3):
        rows = inputs[5 * s : 5 * s + 5]
        # Every window lies within series s, consecutive, and its targets follow it.
        assert np.all(rows // 100 == s)
        np.testing.assert_array_equal(np.diff(rows[:, 0]), np.ones(4))
        np.testing.assert_array_equal(targets[5 * s : 5 * s + 5, 0], rows[:, -1] + 1)


def test_window_block_refuses_more_windows_than_a_series_has(bench):
    x, _ = panel_windows([np.arange(10.0), np.arange(30.0)], window=4, horizon=1)
    with pytest.raises(ValueError, match="fewer than 8"):
        bench.window_block(x, 8)


def test_workers_and_report_on_a_tiny_panel(bench, tiny_args):
    results = {
        "baseline": bench.run_baseline(tiny_args),
        "seqcast": bench.run_seqcast(tiny_args),
        "tiny": bench.run_tiny(tiny_args),
        "keras": bench.run_keras(tiny_args),
        "loop": bench.run_loop(tiny_args),
        "read": bench.run_read(tiny_args),
    }
    seq, keras_run = results["seqcast"], results["keras"]
    assert seq["windows"] == keras_run["windows"] == 4 * 3
    assert len(seq["epoch_seconds"]) == len(keras_run["epoch_seconds"]) == 2
    assert seq["series_bytes"] == 4 * 48 * 4  # the one flat copy of the panel
    # Keras's arrays: every window and its targets at every step, materialised.
    assert keras_run["materialised_bytes"] == 12 * (6 + 6 * 2) * 4
    assert keras_run["all_windows_bytes"] == 4 * (48 - 6 - 2 + 1) * (6 + 6 * 2) * 4
    assert results["tiny"]["windows"] == 4 * (48 - 6 - 2 + 1)
    assert len(results["loop"]["series_seconds"]) == 2
    assert results["read"]["rows"] == 4 * 48 and results["read"]["series"] == 4

    figures = bench.summary(results, tiny_args)
    assert figures["raw_array_bytes"] == 4 * 48 * 4
    assert figures["keras_over_seqcast"] == pytest.approx(
        figures["keras_epoch_seconds"] / figures["seqcast_epoch_seconds"]
    )
    assert figures["loop_extrapolated_seconds"] == pytest.approx(figures["loop_series_seconds"] * 4)
    text = bench.report(results, figures, tiny_args)
    for name in ("baseline", "seqcast", "tiny", "keras", "loop", "read", "keras_over_seqcast"):
        assert name in text


def test_the_command_runs_its_parts_in_fresh_processes(tmp_path):
    output = tmp_path / "out.json"
    command = [sys.executable, str(PATH), "--series", "3", "--length", "20", "--window", "4",
               "--horizon", "1", "--only", "baseline,read", "--json", str(output)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    saved = json.loads(output.read_text())
    assert set(saved["results"]) == {"baseline", "read"}
    assert saved["results"]["baseline"]["peak_rss"] > 0
    assert saved["figures"]["read_seconds"] >= 0
    assert "| baseline |" in done.stdout
