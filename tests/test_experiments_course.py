"""The course's table, reproduced: baselines to 4 digits, models within 10 % of the course.

The four statistical rows take milliseconds and run by default; the neural
rows (about a minute together on 2 cores) are marked slow.
"""

import math

import pytest

from seqcast.experiments.course import COURSE_ROWS, ROWS_BY_NAME
from seqcast.experiments.report import TOLERANCE

# Rows that miss the course's figure, with what was measured. strict: the day
# one starts passing, the test fails so that the note here gets removed.
KNOWN_MISSES = {
    "conv_lstm": "seed 42 gives MAE 5.86, 1.17x the course's 5.01 with window 20, batch 16 "
    "(the course lab's pipeline); window 30 gave 5.63 (batch 32) and 5.42 (batch 128): the "
    "course's exact window, batch size and learning rate for this model are not recorded",
}


@pytest.mark.parametrize("name", ["naive", "moving_average_30", "diff_ma_past", "diff_ma_smoothed"])
def test_statistical_rows_match_the_course_to_four_digits(name):
    row = ROWS_BY_NAME[name]
    result = row.run()
    assert result.value == pytest.approx(row.published, rel=5e-5)
    assert result.preview.shape == (461,)


def _marks(row):
    marks = [pytest.mark.slow]
    if row.name in KNOWN_MISSES:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[row.name]))
    return marks


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(row, id=row.name, marks=_marks(row))
        for row in COURSE_ROWS
        if row.model is not None and row.published is not None
    ],
)
def test_neural_row_reproduces_the_course(row):
    result = row.run(seed=42, verbose=0)
    assert math.isfinite(result.value)
    assert result.epochs == row.epochs  # the course's fixed epochs, no early stopping
    assert result.value <= row.published * TOLERANCE, (
        f"{row.name}: MAE {result.value:.4f} vs the course's {row.published}"
    )


def test_short_run_of_a_neural_row_is_deterministic():
    row = ROWS_BY_NAME["dnn"]
    first = row.run(epochs=3, seed=7, verbose=0)
    second = row.run(epochs=3, seed=7, verbose=0)
    assert first.epochs == 3
    assert first.value == second.value
    assert (first.preview == second.preview).all()


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="the project's target (MAE < 4.5) is missed: the best model chosen without the "
    "scored points, gru_last_year, reaches 4.568, level with the course's best baseline "
    "(4.569); see README, 'The course's table'",
)
def test_best_seqcast_model_beats_four_and_a_half():
    ours = [row for row in COURSE_ROWS if row.published is None]
    best = min(row.run(seed=42, verbose=0).value for row in ours)
    assert best < 4.5
