"""The report of a run, from made-up results: table cells, verdicts, JSON schema, figures."""

import json

import numpy as np
import pytest

from seqcast.experiments import report
from seqcast.experiments.book import ROWS_BY_NAME as BOOK
from seqcast.experiments.course import ROWS_BY_NAME as COURSE
from seqcast.experiments.rows import RowResult

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
META = {"backend": "jax", "device": "cpu (test, 2 cores)", "version": "0.0-test"}


def _trained(row, value, epochs=3, **extra):
    history = {"loss": [0.3, 0.2, 0.1][:epochs], "val_loss": [0.35, 0.25, 0.15][:epochs]}
    return RowResult(row, value, epochs=epochs, train_seconds=1.25, compile_seconds=0.5,
                     params=51, history=history, **extra)  # fmt: skip


@pytest.fixture
def book_results():
    rng = np.random.default_rng(0)
    linear, seq2seq, lstm = BOOK["linear"], BOOK["seq2seq"], BOOK["lstm"]
    return [
        RowResult(
            BOOK["naive"], BOOK["naive"].published, epochs=0, preview=rng.normal(size=(3, 1))
        ),
        _trained(linear, linear.published / 2, preview=rng.normal(size=(3, 1))),
        _trained(seq2seq, seq2seq.published * 2, preview=rng.normal(size=(3, 10))),
        _trained(lstm, lstm.published * 1.05, preview=rng.normal(size=(3, 10))),
        _trained(
            BOOK["gru_dropout"],
            0.02,
            preview=np.zeros((3, 10)),
            preview_interval=(np.full((3, 10), -0.1), np.full((3, 10), 0.1)),
        ),
        RowResult(BOOK["linear_10"], float("nan"), epochs=1, preview=np.full((3, 10), np.nan)),
    ]


VERDICTS = {
    "naive": "matches",
    "linear": "beats book",
    "seq2seq": "MISSES",
    "lstm": "matches",
    "gru_dropout": "no figure",
    "linear_10": "diverged",
}


def test_verdicts(book_results):
    assert {r.row.name: report.verdict(r) for r in book_results} == VERDICTS


def test_the_markdown_table_holds_each_rows_figure_and_verdict(book_results):
    table = report.markdown_table(book_results)
    lines = table.splitlines()
    assert lines[0] == "| " + " | ".join(report.columns("book")) + " |"
    assert len(lines) == 2 + len(book_results)
    for result, line in zip(book_results, lines[2:]):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[0] == result.row.name
        assert cells[2] == f"{result.value:.6f}"
        published = result.row.published
        assert cells[3] == ("–" if published is None else f"{published:.6f}")
        assert cells[5] == VERDICTS[result.row.name]


def test_the_terminal_table_is_aligned(book_results):
    lines = report.format_table(book_results).splitlines()
    assert len({len(line) for line in lines}) == 1  # every line as wide as the header
    assert set(lines[1]) <= {"-", " "}
    assert "beats book" in lines[3]


def test_the_json_has_the_documented_schema(tmp_path, book_results):
    path = tmp_path / "r.json"
    report.write_json(path, book_results, META)
    written = json.loads(path.read_text())
    assert set(written) == {"rows", "backend", "device", "version"}
    assert written["backend"] == "jax" and written["version"] == "0.0-test"
    assert [row["model"] for row in written["rows"]] == [r.row.name for r in book_results]
    for row, result in zip(written["rows"], book_results):
        assert set(row) == {"model", "metric", "value", "published", "epochs", "train_seconds"}
        assert row["metric"] == result.row.metric and row["published"] == result.row.published
        assert row["epochs"] == result.epochs
    assert written["rows"][1]["train_seconds"] == 1.25


def test_the_book_report_writes_its_readme_and_figures(tmp_path, book_results):
    written = report.write_report(tmp_path, book_results, {**META, "seed": 42, "jobs": 2})
    names = [path.name for path in written]
    assert names == [
        "README.md",
        "comparison.png",
        "learning_curves.png",
        "forecasts.png",
        "multistep_forecasts.png",
    ]
    for path in written[1:]:
        assert path.read_bytes().startswith(PNG_MAGIC), path.name
    readme = (tmp_path / "README.md").read_text()
    assert readme.startswith("# seqcast reproduce: Hands-On ML ch. 15")
    assert "seed 42" in readme and "with 2 rows training at a time" in readme
    assert report.markdown_table(book_results) in readme
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


def test_the_course_report_compares_with_the_course(tmp_path):
    naive, dnn = COURSE["naive"], COURSE["dnn"]
    results = [
        RowResult(naive, naive.published, epochs=0, preview=np.zeros(461)),
        _trained(dnn, dnn.published * 0.9, preview=np.ones(461)),
    ]
    assert report.columns(report.source_of(results))[3] == "course"
    assert report.verdict(results[1]) == "beats course"
    written = report.write_report(tmp_path, results, {**META, "seed": 1})
    assert [path.name for path in written] == [
        "README.md",
        "comparison.png",
        "learning_curves.png",
        "forecasts.png",
    ]
    readme = (tmp_path / "README.md").read_text()
    assert "Sequences, Time Series and Prediction" in readme and "beats course" in readme
    assert (tmp_path / "forecasts.png").read_bytes().startswith(PNG_MAGIC)
