"""Writing a long panel as Hive partitions by its id column, one Parquet file per series.

The layout :func:`~seqcast.data.partition.partition_table` shares out from the
folder listing alone (``store=A/part-0.parquet``...), written whole or not at
all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from seqcast.checks import listing
from seqcast.errors import SeqcastError

__all__ = ["write_partitioned"]


def write_partitioned(
    frame: pd.DataFrame, folder: str | os.PathLike, *, id_column: str, overwrite: bool = False
) -> Path:
    """Write a long ``frame`` as Hive partitions: ``folder/<id_column>=<id>/part-0.parquet``.

    One Parquet file per series, its rows in the frame's order, without the
    id column (the folder name holds it, URI-escaped as pyarrow writes and reads
    it). An index other than an unnamed range becomes columns. The dataset
    is written into a new hidden folder beside ``folder`` and renamed onto it
    once complete, so a failure leaves no half-written dataset; an existing
    ``folder`` is refused unless ``overwrite``. Returns ``folder`` as a Path.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    id_column = str(id_column)
    if not isinstance(frame, pd.DataFrame):
        raise SeqcastError(
            f"write_partitioned writes a DataFrame, not a {type(frame).__name__}; "
            "give the panel in long format"
        )
    frame = frame.copy()
    frame.columns = [str(column) for column in frame.columns]
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        frame = frame.reset_index()
    if id_column not in frame.columns:
        raise SeqcastError(
            f"unknown id column '{id_column}'; the columns are: {listing(frame.columns, limit=12)}"
        )
    ids = frame[id_column]
    if ids.isna().any():
        row = int(np.argmax(ids.isna().to_numpy()))
        raise SeqcastError(
            f"the id column '{id_column}' is empty in row {row + 1}; give every row its series' id"
        )
    text = ids.astype(str)
    if (text == "").any():
        raise SeqcastError(
            f"the id column '{id_column}' holds an empty id; give every series a non-empty id"
        )
    target = Path(os.fspath(folder))
    if target.exists() and not overwrite:
        raise SeqcastError(
            f"'{target}' already exists; remove it, choose another folder, or pass overwrite=True"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}~seqcast-tmp-", dir=target.parent))
    try:
        values = frame.drop(columns=id_column)
        # Positions per id, in order of first appearance; each series' rows keep their order.
        for id_text, rows in text.groupby(text, sort=False).indices.items():
            part = tmp / f"{id_column}={quote(id_text, safe='')}"
            part.mkdir()
            table = pa.Table.from_pandas(values.iloc[rows], preserve_index=False)
            pq.write_table(table, part / "part-0.parquet")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}~seqcast-old-", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
