"""One process's share of a panel, read without reading the other processes' series.

When several processes train one model (``jax.distributed``), each one reads
only its own series: :func:`partition_table` takes the process id and the
number of processes and returns this process's rows, read with
:mod:`pyarrow.dataset` so that the rest of the data is never loaded. Every
process applies the same rule to the same listing, so they agree on who reads
what without talking to each other. The data may be laid out as

- a folder of **Hive partitions** by the id column (``store=A/part-0.parquet``,
  ``store=B/part-0.parquet``...): the series are the ``store=...`` folders,
  known from the listing alone (:func:`write_partitioned` writes this layout);
- a **folder or a list of files** (all Parquet, or all CSV read as seqcast
  reads any CSV), each holding whole series: the files are shared out;
- a **single Parquet file**: its id column alone is read to list the series,
  then only this process's rows are scanned out of it.

The rule (:func:`share_bounds`): the series (or files) are put in a fixed
order and cut into ``num_processes`` consecutive runs of about equal size, one
per process in process order, each at least one long. So process 0 holds the
first series, process 1 the next ones, and reading the shares of processes 0,
1, 2... one after the other gives the series in the order one process reading
everything lists them, each series' rows in their own order. The order is:

- Hive partitions and a folder of files: every data file under the folder,
  sorted by its path below the folder as text (the order pyarrow, and so
  ``pandas.read_parquet(folder)``, reads them in); a series' files come one
  after the other in that order;
- a list of files: the list's own order (give every process the same list);
- a single file: the order in which each id first appears.

The size that is balanced is what the listing tells without opening the data:
bytes on disk for files and Hive partitions, rows for a single file (whose id
column is read anyway). Hidden files and folders (their name starting with
``.`` or ``_``: ``_SUCCESS``, seqcast's temporaries) are not data.

>>> import tempfile
>>> frame = pd.DataFrame({"store": ["A", "A", "B", "C", "C"], "sales": [1, 2, 3, 4, 5]})
>>> folder = write_partitioned(frame, Path(tempfile.mkdtemp()) / "sales", id_column="store")
>>> sorted(path.name for path in folder.iterdir())
['store=A', 'store=B', 'store=C']
>>> partition_table(folder, id_column="store", process_id=0, num_processes=2)
   sales store
0      1     A
1      2     A
>>> partition_table(folder, id_column="store", process_id=1, num_processes=2)["store"].tolist()
['B', 'C', 'C']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from seqcast.checks import column_names, listing, positive_int
from seqcast.data.dates import short_reason
from seqcast.data.load import load_table
from seqcast.data.partition_write import write_partitioned
from seqcast.data.shares import Share, share_bounds
from seqcast.errors import SeqcastError

__all__ = ["partition_table", "share_bounds", "write_partitioned"]

Source = str | os.PathLike | Sequence[str | os.PathLike]

_PARQUET = (".parquet", ".pq")
_TEXT = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")
_HIDDEN = (".", "_")  # pyarrow's own ignore_prefixes: Spark's _SUCCESS, editors' .swp


def partition_table(
    source: Source,
    *,
    id_column: str,
    process_id: int,
    num_processes: int,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows of process ``process_id``'s share of the series in ``source``, as a DataFrame.

    ``source`` is a folder of Hive partitions by ``id_column``, a folder or a
    list of Parquet / CSV files that each hold whole series, or one Parquet
    file (see the module's text for the rule that shares them out and the
    order). ``columns`` picks the columns to read (the id column is added in
    front when missing); by default all of them. The index counts rows from 0.
    In Hive partitions the ids come from the folder names, as text, and the id
    column comes last unless ``columns`` places it.

    With ``num_processes=1`` the result is the whole table, in that order.
    Every process must see the same listing (one shared folder, or the same
    list of files). A series split between two files is reported when both
    fall in this process's share; one split across two processes' shares
    cannot be seen without reading the others' files.
    """
    positive_int(num_processes, "num_processes")
    if positive_int(process_id, "process_id", minimum=0) >= num_processes:
        raise SeqcastError(
            f"process_id must be below num_processes ({num_processes}), got {process_id}; "
            f"number the processes 0 to {num_processes - 1}"
        )
    id_column = str(id_column)
    wanted = column_names(columns)
    if wanted and id_column not in wanted:
        wanted = (id_column, *wanted)
    share = Share(process_id, num_processes)

    if isinstance(source, (str, os.PathLike)):
        path = Path(os.fspath(source))
        if not path.exists():
            raise SeqcastError(f"there is no file or folder '{path}'; check the path")
        if path.is_dir():
            return _read_folder(path, id_column, share, wanted)
        if _kind(path) == "parquet":
            return _read_one_file(path, id_column, share, wanted)
        if num_processes > 1:
            raise SeqcastError(
                f"'{path}' is one text file, which cannot be shared out without reading it "
                "whole; write it as Parquet, one file per group of series, or as Hive "
                "partitions (seqcast.data.partition.write_partitioned)"
            )
        return _read_files([path], id_column, share, wanted, path)
    if isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)):
        files = [Path(os.fspath(item)) for item in source]
        if not files:
            raise SeqcastError("the list of files is empty; give at least one data file")
        for file in files:
            if not file.is_file():
                what = "a folder" if file.is_dir() else "missing"
                raise SeqcastError(
                    f"'{file}' in the list of files is {what}; list only existing data files"
                )
            _kind(file)  # refuses an unknown type before any reading
        return _read_files(files, id_column, share, wanted, None)
    raise SeqcastError(
        f"cannot read a {type(source).__name__} as a partitioned panel; give a folder, "
        "a Parquet file or a list of files"
    )


# --------------------------------------------------------------------------- the layouts


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(_PARQUET):
        return "parquet"
    if name.endswith(_TEXT):
        return "text"
    raise SeqcastError(
        f"cannot tell the format of '{path}' from its name; name data files .parquet, .pq, "
        ".csv, .tsv or .txt (optionally .gz), or move other files out of the folder"
    )


def _data_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` but hidden ones, sorted by its path below it (as pyarrow)."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(_HIDDEN)]
        found.extend(Path(root) / name for name in names if not name.startswith(_HIDDEN))
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def _read_folder(
    folder: Path, id_column: str, share: Share, wanted: tuple[str, ...]
) -> pd.DataFrame:
    try:
        files = _data_files(folder)
        tops = [entry for entry in folder.iterdir() if not entry.name.startswith(_HIDDEN)]
    except OSError as err:
        raise SeqcastError(f"cannot list the folder '{folder}': {short_reason(err)}") from err
    if not files:
        raise SeqcastError(f"the folder '{folder}' holds no data files; check the path")
    prefix = f"{id_column}="
    if any(top.is_dir() and top.name.startswith(prefix) for top in tops):
        return _read_hive(folder, files, id_column, share, wanted)
    keys = {top.name.split("=", 1)[0] for top in tops if top.is_dir() and "=" in top.name}
    if keys:
        raise SeqcastError(
            f"the folder '{folder}' is partitioned by {listing(sorted(keys))}, not by the id "
            f"column '{id_column}'; give that column as the id, or partition by '{id_column}'"
        )
    for file in files:
        _kind(file)
    return _read_files(files, id_column, share, wanted, folder)


def _read_hive(
    folder: Path, files: list[Path], id_column: str, share: Share, wanted: tuple[str, ...]
) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.dataset as ds

    # Series = top folders; the files are sorted by path, so a series' files are consecutive.
    series: dict[str, list[Path]] = {}
    for file in files:
        top = file.relative_to(folder).parts[0]
        if file.parent == folder or not top.startswith(f"{id_column}="):
            raise SeqcastError(
                f"'{file}' lies outside the '{id_column}=...' folders of '{folder}'; move it "
                f"into its series' folder, or out of the dataset"
            )
        if _kind(file) != "parquet":
            raise SeqcastError(
                f"'{file}' is not a Parquet file; Hive partitions hold Parquet files only"
            )
        series.setdefault(top, []).append(file)
    groups = list(series.values())
    sizes = [sum(_size(file) for file in group) for group in groups]
    first, end = share.pick(sizes, f"the {len(groups)} series of '{folder}'", "")
    mine = [file for group in groups[first:end] for file in group]
    partitioning = ds.partitioning(pa.schema([(id_column, pa.string())]), flavor="hive")
    try:
        # Built from this process's files only: no other file is opened, not even its footer.
        dataset = ds.dataset(
            [str(file) for file in mine],
            format="parquet",
            partitioning=partitioning,
            partition_base_dir=str(folder),
        )
        _check_columns(dataset.schema.names, wanted, f"the dataset '{folder}'")
        table = dataset.to_table(columns=list(wanted) if wanted else None)
    except (pa.ArrowException, OSError) as err:
        raise _unreadable(f"the Parquet files of '{folder}'", err) from err
    return _frame(table)


def _read_files(
    files: list[Path],
    id_column: str,
    share: Share,
    wanted: tuple[str, ...],
    where: Path | None,
) -> pd.DataFrame:
    kinds = {_kind(file): file for file in files}
    if len(kinds) > 1:
        # CSV gives text where Parquet gives dates and numbers: each process would get columns
        # of other types, or a mix that read_panel cannot tell dates in.
        raise SeqcastError(
            f"the files mix Parquet and CSV ('{kinds['parquet']}', '{kinds['text']}'); give files "
            "of one format, so that every process reads the columns with the same types"
        )
    what = f"the {len(files)} files of '{where}'" if where else f"the {len(files)} files listed"
    fix = ", or split the series into more files"
    first, end = share.pick([_size(file) for file in files], what, fix)
    frames = []
    seen: dict[object, Path] = {}  # id → the file it came from, to catch a series in two files
    for file in files[first:end]:
        if _kind(file) == "parquet":
            frame = _read_parquet(file, id_column, wanted)
        else:
            frame = _read_text(file, id_column)
        if id_column not in frame.columns:
            raise SeqcastError(
                f"the file '{file}' has no id column '{id_column}'; its columns are: "
                f"{listing(frame.columns, limit=12)}"
            )
        if wanted:
            _check_columns(frame.columns, wanted, f"the file '{file}'")
            frame = frame[list(wanted)]
        ids = frame[id_column]
        _check_ids(ids, id_column, f"the file '{file}'")
        for id_ in pd.unique(ids):
            earlier = seen.setdefault(id_, file)
            if earlier != file:
                raise SeqcastError(
                    f"series '{id_}' is in both '{earlier}' and '{file}'; keep each series "
                    "in one file (or write the data as Hive partitions by id)"
                )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else _renumbered(frames[0])


def _read_one_file(
    path: Path, id_column: str, share: Share, wanted: tuple[str, ...]
) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(path), format="parquet")
        if id_column not in dataset.schema.names:
            raise SeqcastError(
                f"the file '{path}' has no id column '{id_column}'; its columns are: "
                f"{listing(dataset.schema.names, limit=12)}"
            )
        _check_columns(dataset.schema.names, wanted, f"the file '{path}'")
        # The id column alone (a column projection) tells the series and their sizes.
        ids = dataset.to_table(columns=[id_column])[id_column]
    except (pa.ArrowException, OSError) as err:
        raise _unreadable(f"'{path}' as Parquet", err) from err
    values = ids.to_pandas()
    _check_ids(values, id_column, f"the file '{path}'")
    codes, uniques = pd.factorize(values, sort=False)  # in order of first appearance
    counts = np.bincount(codes, minlength=len(uniques))
    first, end = share.pick(counts, f"the {len(uniques)} series of '{path}'", "")
    if share.num_processes == 1:
        selected = None  # everything: no filter to evaluate
    else:
        value_type = ids.type.value_type if pa.types.is_dictionary(ids.type) else ids.type
        mine = pa.array(list(uniques[first:end]), type=value_type)
        selected = ds.field(id_column).isin(mine)
    try:
        # Filtered while scanning: row groups whose statistics exclude these ids are skipped,
        # and the other processes' rows are dropped batch by batch, never held as a table.
        table = dataset.to_table(columns=list(wanted) if wanted else None, filter=selected)
    except (pa.ArrowException, OSError) as err:
        raise _unreadable(f"'{path}' as Parquet", err) from err
    return _frame(table)


# --------------------------------------------------------------------------- small parts


def _read_parquet(path: Path, id_column: str, wanted: tuple[str, ...]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(path), format="parquet")
        names = dataset.schema.names  # from the footer: the columns are checked before reading
        if id_column not in names:
            raise SeqcastError(
                f"the file '{path}' has no id column '{id_column}'; its columns are: "
                f"{listing(names, limit=12)}"
            )
        _check_columns(names, wanted, f"the file '{path}'")
        table = dataset.to_table(columns=list(wanted) if wanted else None)
    except (pa.ArrowException, OSError) as err:
        raise _unreadable(f"'{path}' as Parquet", err) from err
    return _frame(table)


def _read_text(path: Path, id_column: str) -> pd.DataFrame:
    # A whole file is this process's anyway: read as seqcast reads any CSV (separator, decimal
    # mark and encoding found from the file, the ids as written), as it would alone.
    return load_table(path, text=(id_column,))


def _frame(table) -> pd.DataFrame:
    return _renumbered(table.to_pandas())


def _renumbered(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(column) for column in frame.columns]
    return frame.reset_index(drop=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as err:
        raise SeqcastError(f"cannot read '{path}': {short_reason(err)}; check the path") from err


def _check_columns(present, wanted: tuple[str, ...], where: str) -> None:
    missing = [name for name in wanted if name not in set(present)]
    if missing:
        raise SeqcastError(
            f"{where} has no column {listing(missing)}; its columns are: "
            f"{listing(present, limit=12)}"
        )


def _check_ids(ids: pd.Series, id_column: str, where: str) -> None:
    empty = ids.isna().to_numpy()
    if empty.any():
        row = int(np.argmax(empty))
        raise SeqcastError(
            f"{where} has an empty id in column '{id_column}' (row {row + 1}); "
            "give every row its series' id"
        )


def _unreadable(what: str, err: BaseException) -> SeqcastError:
    return SeqcastError(
        f"cannot read {what}: {short_reason(err)}; check that the files are whole Parquet files"
    )
