import json
import subprocess
import sys

import pytest

from seqcast.cli import main

SEQCAST = [sys.executable, "-m", "seqcast.cli"]


def test_help_does_not_load_keras_or_jax():
    """`seqcast --help` must answer at once: the CLI imports nothing heavy up front."""
    code = (
        "import sys, seqcast.cli; "
        "print(sorted({'keras', 'jax', 'matplotlib', 'pandas'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_reproduce():
    out = subprocess.run([*SEQCAST, "--help"], capture_output=True, text=True, check=True)
    assert "reproduce" in out.stdout


def test_reproduce_writes_json_schema_and_report(tmp_path, capsys):
    json_path, out_dir = tmp_path / "r.json", tmp_path / "report"
    code = main(
        [
            "reproduce",
            "--models",
            "naive,linear",
            "--epochs",
            "2",
            "--quiet",
            "--json",
            str(json_path),
            "--out",
            str(out_dir),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "naive" in printed and "0.020211" in printed
    result = json.loads(json_path.read_text())
    assert set(result) == {"rows", "backend", "device", "version"}
    assert result["backend"] == "jax"
    assert [row["model"] for row in result["rows"]] == ["naive", "linear"]
    for row in result["rows"]:
        assert set(row) == {"model", "metric", "value", "published", "epochs", "train_seconds"}
    linear = result["rows"][1]
    assert linear["epochs"] == 2 and linear["metric"] == "mse" and linear["published"] == 0.004168
    for name in (
        "README.md",
        "comparison.png",
        "learning_curves.png",
        "forecasts.png",
        "models/linear.keras",
    ):
        assert (out_dir / name).stat().st_size > 0, name
    assert not list(out_dir.glob(".*")), "temporary files left behind"


def test_unknown_model_is_one_sentence_and_exit_2(capsys, tmp_path):
    keep = tmp_path / "r.json"
    keep.write_text("earlier results")
    assert main(["reproduce", "--models", "naive,lstmm", "--json", str(keep)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("seqcast: error: unknown model 'lstmm'") and "\n" not in err
    assert keep.read_text() == "earlier results"


@pytest.mark.parametrize("option", ["--epochs", "--jobs"])
@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_bad_counts_rejected_by_the_parser(option, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["reproduce", option, value])
    assert exit_info.value.code == 2
    assert option in capsys.readouterr().err


def test_default_jobs_is_one_per_core_up_to_four_on_a_cpu(monkeypatch):
    from seqcast.experiments import parallel

    for cores, jobs in [(1, 1), (2, 2), (16, 4)]:
        monkeypatch.setattr(parallel, "available_cores", lambda cores=cores: cores)
        assert parallel.default_jobs() == jobs


def test_atomic_writes_keep_the_old_file_on_failure_and_get_normal_permissions(tmp_path):
    import os

    from seqcast.files import atomic_path, write_text

    target = tmp_path / "report.md"
    write_text(target, "first")
    umask = os.umask(0)
    os.umask(umask)
    assert (target.stat().st_mode & 0o777) == (0o666 & ~umask)
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half writ")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
