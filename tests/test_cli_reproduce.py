"""``seqcast reproduce``, in-process: the JSON schema, the report, bad input."""

import json

import pytest

from seqcast.cli import main


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


def test_an_unknown_suite_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["reproduce", "--suite", "movies"])
    assert exit_info.value.code == 2
    assert "--suite" in capsys.readouterr().err
