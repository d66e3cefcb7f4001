"""``seqcast models``: both tables' rows and the zoo."""

from seqcast.cli import main


def test_models_lists_both_tables_and_the_zoo(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "seqcast reproduce --suite book --models" in out
    assert "seqcast reproduce --suite course --models" in out
    assert "The zoo:" in out
    assert ["naive", "mse", "0.020211"] in [line.split()[:3] for line in out.splitlines()]
