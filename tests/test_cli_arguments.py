"""The argument types and groups the commands share: counts, lists, choices from seqcast.choices."""

import argparse

import pytest

from seqcast.choices import INTERVAL_METHODS, SCALERS, STRATEGIES, SUITES
from seqcast.cli import build_parser
from seqcast.cli.arguments import (
    add_model_arguments,
    budget,
    comma_list,
    positive_count,
    scaler_from_name,
    scaler_names,
    separator,
)


@pytest.mark.parametrize("text", ["1", "20", " 7"])
def test_positive_count_accepts_whole_numbers_from_one(text):
    assert positive_count(text) == int(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "must be a whole number of at least 1, got 0"),
        ("-3", "must be a whole number of at least 1, got -3"),
        ("many", "must be a whole number of at least 1, got 'many'"),
        ("2.5", "must be a whole number of at least 1, got '2.5'"),
    ],
)
def test_positive_count_rejects_with_the_checks_sentence(text, message):
    with pytest.raises(argparse.ArgumentTypeError) as error:
        positive_count(text)
    assert str(error.value) == message


def test_comma_list_drops_blanks_and_spaces():
    assert comma_list(" a, b,,c ,") == ["a", "b", "c"]
    assert comma_list("") == []


def test_scaler_none_is_written_none_on_the_command_line():
    assert scaler_names() == ["none" if s is None else s for s in SCALERS]
    assert [scaler_from_name(name) for name in scaler_names()] == list(SCALERS)


def _choices(parser: argparse.ArgumentParser, flag: str):
    return next(a.choices for a in parser._actions if flag in a.option_strings)


def _command(name: str) -> argparse.ArgumentParser:
    return build_parser()._subparsers._group_actions[0].choices[name]


def test_choices_come_from_seqcast_choices():
    parser = argparse.ArgumentParser()
    add_model_arguments(parser)
    assert tuple(_choices(parser, "--strategy")) == STRATEGIES
    assert _choices(parser, "--scaler") == scaler_names()
    assert tuple(_choices(_command("forecast"), "--interval-method")) == INTERVAL_METHODS
    assert tuple(_choices(_command("reproduce"), "--suite")) == SUITES


def test_the_sweep_defaults_are_the_courses():
    fit, sweep = argparse.ArgumentParser(), argparse.ArgumentParser()
    add_model_arguments(fit)
    add_model_arguments(sweep, sweep=True)
    assert (fit.get_default("optimizer"), fit.get_default("momentum")) == ("adam", None)
    assert (sweep.get_default("optimizer"), sweep.get_default("momentum")) == ("sgd", 0.9)


@pytest.mark.parametrize("flag", ["--window", "--horizon", "--epochs", "--batch-size"])
def test_a_bad_count_names_the_flag_and_exits_2(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["fit", "data.csv", "--out", "m.seqcast", flag, "0"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {flag}: must be a whole number of at least 1, got 0" in err


def test_reading_flags_for_training_and_for_a_saved_model():
    parser = build_parser()
    fit = parser.parse_args(["fit", "d.csv", "--out", "m", "--sep", "tab", "--decimal", ","])
    assert (fit.sep, fit.decimal, fit.freq, fit.fill, fit.duplicates) == (
        "\t",
        ",",
        None,
        "none",
        "error",
    )
    argv = ["backtest", "m", "d.csv", "--freq", "B", "--fill", "ffill", "--duplicates", "mean"]
    saved = parser.parse_args(argv)
    assert (saved.sep, saved.freq, saved.fill, saved.duplicates) == (None, "B", "ffill", "mean")
    # a saved model's own fill / duplicates apply unless the flags say otherwise
    assert parser.parse_args(["forecast", "m", "d.csv"]).fill is None


def test_sep_takes_the_library_s_rule():
    assert separator("|") == "|" and separator("\\t") == "\t"
    with pytest.raises(argparse.ArgumentTypeError, match="separator must be one character"):
        separator(";;")


def test_budget_is_a_duration_and_names_the_flag_on_a_mistake(capsys):
    assert budget("90s") == 90.0 and budget("5m") == 300.0
    with pytest.raises(argparse.ArgumentTypeError, match=r"^must be a duration"):
        budget("five minutes")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["fit", "data.csv", "--out", "m", "--budget", "5x"])
    assert "argument --budget: must be a duration such as 90s" in capsys.readouterr().err


def test_fit_takes_the_search_flags_with_their_defaults():
    args = build_parser().parse_args(["fit", "data.csv", "--out", "m", "--model", "auto"])
    # --ensemble unset: a plain fit trains one member, a search refits ModelSearch's default
    assert (args.model, args.budget, args.trials, args.ensemble) == ("auto", 300.0, None, None)
