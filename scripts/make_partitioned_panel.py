"""Write the built-in us_employment panel as Hive partitions by series id, for multi-process runs.

Each of the 148 series (id column ``Series_ID``) goes to its own
``Series_ID=<id>/part-0.parquet`` under the folder given (default
``us_employment_parts``), which is what each process of a distributed fit
reads its share of (seqcast.data.partition.partition_table):

    python scripts/make_partitioned_panel.py [FOLDER] [--overwrite]

The folder is written beside its final name and renamed once complete.
"""

from __future__ import annotations

import argparse
import sys

from seqcast.data.datasets import load_dataset
from seqcast.data.partition import write_partitioned
from seqcast.errors import SeqcastError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="us_employment_parts")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing folder")
    args = parser.parse_args(argv)
    data = load_dataset("us_employment")
    try:
        folder = write_partitioned(
            data.frame, args.folder, id_column=data.id_column, overwrite=args.overwrite
        )
    except SeqcastError as err:
        print(f"make_partitioned_panel: {err}", file=sys.stderr)
        return 2
    count = sum(1 for _ in folder.iterdir())
    print(
        f"wrote {count} series of us_employment to {folder}/ "
        f"({data.id_column}=<id>/part-0.parquet; target {data.target}, dates {data.date_column})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
