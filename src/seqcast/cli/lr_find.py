"""``seqcast lr-find``: the course's learning-rate sweep on DATA, with a suggested rate.

:func:`run` trains with the rate growing as ``MIN_LR * 10**(epoch / 20)``,
prints the loss per rate and the rate where it falls fastest, and plots them.
"""

from __future__ import annotations

import argparse

from seqcast.cli.arguments import add_data_arguments, add_model_arguments
from seqcast.cli.data import make_forecaster, read_options, resolve_data
from seqcast.cli.outputs import check_outputs, writing

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``lr-find`` command's parser."""
    parser = commands.add_parser(
        "lr-find",
        help="the course's learning-rate sweep, with a suggested rate",
        description="Train with the learning rate growing as MIN_LR * 10**(epoch / 20) and "
        "report the loss per rate (SGD with momentum 0.9 by default, as in the course).",
    )
    add_data_arguments(parser)
    add_model_arguments(parser, sweep=True)
    parser.add_argument("--min-lr", type=float, default=1e-8, help="first rate (default: 1e-8)")
    parser.add_argument("--plot", metavar="OUT.png", help="plot loss against learning rate")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast lr-find``: print the sweep and the suggestion, and plot it when asked."""
    check_outputs(args, {"--plot": args.plot}, (args.data,))
    data, defaults = resolve_data(args)
    forecaster = make_forecaster(args, defaults)
    sweep = forecaster.lr_find(
        data,
        target=args.target or defaults.get("target"),
        # the sweep reads known covariates like the others: the rate does not hinge on it
        covariates=[*args.covariates, *args.known],
        min_lr=args.min_lr,
        epochs=args.epochs,
        **read_options(args).keywords(),
    )
    for rate, loss in list(zip(sweep.learning_rates, sweep.losses))[:: max(1, args.epochs // 10)]:
        print(f"  lr {rate:9.3g}  loss {loss:.5g}")
    suggestion = sweep.suggestion
    if not sweep.reached_the_minimum:
        print(
            f"the loss was still falling at the largest rate tried "
            f"({sweep.learning_rates[-1]:.3g}): sweep further with more --epochs or a larger "
            "--min-lr before trusting the suggestion"
        )
    print(
        f"suggested learning rate: {suggestion:.3g} (where the loss falls fastest); use it "
        f"with --optimizer {args.optimizer} --learning-rate {suggestion:.3g}"
    )
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            plots.plot_lr_sweep(sweep, args.plot)
    return 0
