"""One process's share of a panel: every layout shared out completely, in order, reading no more."""

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.data.partition import partition_table, share_bounds, write_partitioned
from seqcast.errors import SeqcastError

ROOT = Path(__file__).resolve().parents[1]


def long_frame(lengths: dict, seed: int = 0) -> pd.DataFrame:
    """A long panel: for each id, ``length`` consecutive days and a value that says its row."""
    rng = np.random.default_rng(seed)
    parts = []
    for id_, length in lengths.items():
        parts.append(
            pd.DataFrame(
                {
                    "store": id_,
                    "date": pd.date_range("2024-01-01", periods=length, freq="D"),
                    "sales": rng.normal(size=length),
                    "step": np.arange(length),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def shares(source, n: int, **kwargs) -> list[pd.DataFrame]:
    return [
        partition_table(source, id_column="store", process_id=p, num_processes=n, **kwargs)
        for p in range(n)
    ]


def check_shares_cover(parts: list[pd.DataFrame], whole: pd.DataFrame) -> None:
    """Each series in exactly one share, the shares in process order give ``whole`` back."""
    ids = [set(part["store"]) for part in parts]
    assert all(ids), "every process holds at least one series"
    assert sum(len(i) for i in ids) == len(set().union(*ids)), "no series in two shares"
    back = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(back, whole)


def write_files(frame: pd.DataFrame, folder: Path, groups: list[list[str]], suffix=".parquet"):
    """One file per group of series, named so that path order is the groups' order."""
    folder.mkdir()
    paths = []
    for i, group in enumerate(groups):
        path = folder / f"part-{i:02d}{suffix}"
        rows = frame[frame["store"].isin(group)]
        if suffix == ".parquet":
            rows.to_parquet(path, index=False)
        else:
            rows.to_csv(path, index=False)
        paths.append(path)
    return paths


# ------------------------------------------------------------------------- the sharing rule


def test_share_bounds_are_consecutive_non_empty_and_balanced():
    rng = np.random.default_rng(0)
    for _ in range(200):
        m = int(rng.integers(1, 30))
        n = int(rng.integers(1, m + 1))
        sizes = rng.integers(0, 100, size=m)
        bounds = share_bounds(sizes, n)
        assert bounds[0] == 0 and bounds[-1] == m and len(bounds) == n + 1
        assert all(a < b for a, b in pairwise(bounds))
        if sizes.sum() > 0 and all(b - a > 1 for a, b in pairwise(bounds)):
            # No cut was forced: each share is within one item's size of an equal share.
            loads = [sizes[a:b].sum() for a, b in pairwise(bounds)]
            assert max(abs(load - sizes.sum() / n) for load in loads) <= sizes.max()


def test_share_bounds_balance_by_size_and_need_an_item_each():
    assert share_bounds([6, 1, 1, 1, 1, 1, 1], 2) == (0, 1, 7)
    assert share_bounds([0, 0, 0, 0], 2) == (0, 2, 4)  # no sizes: by count
    with pytest.raises(SeqcastError, match=r"^3 processes cannot share 2 items; run at most 2"):
        share_bounds([1, 1], 3)


# ------------------------------------------------------------------------- Hive partitions


def test_hive_partitions_are_shared_out_in_pyarrows_order(tmp_path):
    # Ids whose folder names sort unlike the ids ("A-" before "A/") or need escaping.
    frame = long_frame({"b": 5, "A": 3, "A-": 4, "x/y z": 2, "10": 6, "9": 1}, seed=1)
    folder = write_partitioned(frame, tmp_path / "panel", id_column="store")
    whole = pd.read_parquet(folder)  # pyarrow reading everything: the reference order
    whole["store"] = whole["store"].astype(str)
    assert set(whole["store"]) == set(frame["store"])
    for n in (1, 2, 3, 6):
        check_shares_cover(shares(folder, n), whole)
    # Each series' rows come back in their order, the values unchanged.
    one = partition_table(folder, id_column="store", process_id=0, num_processes=1)
    for id_, rows in one.groupby("store"):
        original = frame[frame["store"] == id_].drop(columns="store").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            rows.drop(columns="store").reset_index(drop=True), original, check_dtype=False
        )


def test_hive_shares_read_as_panels_and_columns_can_be_picked(tmp_path):
    frame = long_frame({"A": 8, "B": 8, "C": 8, "D": 8})
    folder = write_partitioned(frame, tmp_path / "panel", id_column="store")
    first, second = shares(folder, 2, columns=["date", "sales"])
    assert first.columns.tolist() == ["store", "date", "sales"]  # the id added in front
    panel = read_panel(second, "sales", id_column="store", date_column="date")
    assert panel.ids == ("C", "D")
    assert panel.get("D").frame["sales"].tolist() == frame["sales"][frame["store"] == "D"].tolist()


def test_hive_balances_by_bytes_on_disk(tmp_path):
    frame = long_frame({"A": 3000, "B": 10, "C": 10, "D": 10})
    folder = write_partitioned(frame, tmp_path / "panel", id_column="store")
    first, second = shares(folder, 2)
    assert set(first["store"]) == {"A"} and set(second["store"]) == {"B", "C", "D"}


def test_hive_other_processes_files_are_never_opened(tmp_path):
    folder = write_partitioned(long_frame({"A": 5, "B": 5}), tmp_path / "panel", id_column="store")
    broken = folder / "store=B" / "part-0.parquet"
    broken.write_bytes(b"not parquet at all" * 100)  # process 1's file, now unreadable
    first = partition_table(folder, id_column="store", process_id=0, num_processes=2)
    assert set(first["store"]) == {"A"} and len(first) == 5
    with pytest.raises(SeqcastError, match=r"^cannot read the Parquet files of '.*panel': "):
        partition_table(folder, id_column="store", process_id=1, num_processes=2)


# ------------------------------------------------------------------------- folders and lists


def test_a_folder_of_files_is_shared_out_by_file(tmp_path):
    frame = long_frame({"A": 4, "B": 3, "C": 5, "D": 2, "E": 4})
    write_files(frame, tmp_path / "files", [["A", "B"], ["C"], ["D", "E"]])
    # Hidden files are not data: Spark's markers, seqcast's own temporaries.
    (tmp_path / "files" / "_SUCCESS").write_text("")
    (tmp_path / "files" / ".part-00.parquet.crc").write_text("x")
    for n in (1, 2, 3):
        check_shares_cover(shares(tmp_path / "files", n), frame)


def test_a_list_of_files_keeps_its_order(tmp_path):
    frame = long_frame({"A": 4, "B": 3, "C": 5})
    paths = write_files(frame, tmp_path / "pq", [["A"], ["B"], ["C"]])
    files = [paths[2], paths[0], paths[1]]  # the list's order, not the names'
    parts = shares(files, 3)
    assert [part["store"].unique().tolist() for part in parts] == [["C"], ["A"], ["B"]]


def test_csv_files_read_as_seqcast_reads_csv(tmp_path):
    frame = long_frame({"A": 4, "B": 3, "C": 5})
    write_files(frame, tmp_path / "csv", [["A", "B"], ["C"]], suffix=".csv")
    (tmp_path / "csv" / "part-02.csv").write_text("store;date;sales\nD;2024-01-01;1,5\n")
    parts = shares(tmp_path / "csv", 2)
    assert [part["store"].unique().tolist() for part in parts] == [["A", "B"], ["C", "D"]]
    assert parts[1]["sales"].iloc[-1] == 1.5  # its own separator and decimal comma found
    panel = read_panel(parts[0], "sales", id_column="store")
    assert panel.ids == ("A", "B") and panel.freq == "D"
    assert panel.get("B").frame["sales"].tolist() == pytest.approx(
        frame["sales"][frame["store"] == "B"].tolist()
    )
    frame.to_parquet(tmp_path / "csv" / "part-03.parquet")
    with pytest.raises(SeqcastError, match=r"^the files mix Parquet and CSV \('.*part-03.parquet"):
        partition_table(tmp_path / "csv", id_column="store", process_id=0, num_processes=1)


def test_files_other_processes_files_are_never_opened(tmp_path):
    frame = long_frame({"A": 4, "B": 4, "C": 4})
    paths = write_files(frame, tmp_path / "files", [["A"], ["B"], ["C"]])
    paths[2].write_bytes(b"\x00garbage" * 50)  # process 2's file
    for p in (0, 1):
        part = partition_table(paths, id_column="store", process_id=p, num_processes=3)
        assert part["store"].unique().tolist() == [["A", "B"][p]]
    with pytest.raises(SeqcastError, match=r"^cannot read '.*part-02.parquet' as Parquet: "):
        partition_table(paths, id_column="store", process_id=2, num_processes=3)


def test_a_series_in_two_files_of_one_share_is_refused(tmp_path):
    frame = long_frame({"A": 4, "B": 4}).assign(store=["A"] * 4 + ["B"] * 2 + ["A"] * 2)
    (tmp_path / "files").mkdir()
    frame.iloc[:4].to_parquet(tmp_path / "files" / "part-00.parquet")
    frame.iloc[4:].to_parquet(tmp_path / "files" / "part-01.parquet")
    with pytest.raises(SeqcastError, match=r"^series 'A' is in both '.*part-00.parquet' and "):
        partition_table(tmp_path / "files", id_column="store", process_id=0, num_processes=1)
    # Split across two processes' shares it cannot be seen without reading the other's file.
    part = partition_table(tmp_path / "files", id_column="store", process_id=1, num_processes=2)
    assert part["store"].tolist() == ["B", "B", "A", "A"]


# ------------------------------------------------------------------------- one Parquet file


def test_one_file_is_shared_by_id_in_order_of_first_appearance(tmp_path):
    frame = long_frame({"C": 6, "A": 2, "B": 2, "D": 2})
    path = tmp_path / "panel.parquet"
    frame.to_parquet(path, index=False, row_group_size=3)
    assert [part["store"].unique().tolist() for part in shares(path, 2)] == [["C"], ["A", "B", "D"]]
    for n in (1, 2, 4):
        check_shares_cover(shares(path, n), pd.read_parquet(path))


def test_one_file_with_interleaved_series_keeps_each_series_order(tmp_path):
    frame = long_frame({"B": 5, "A": 5, "C": 5}).sort_values(["date"], kind="stable")
    path = tmp_path / "panel.parquet"
    frame.astype({"store": "category"}).to_parquet(path, index=False)  # a dictionary column
    parts = shares(path, 3)
    assert [part["store"].unique().tolist() for part in parts] == [["B"], ["A"], ["C"]]
    for part in parts:
        assert part["step"].tolist() == list(range(5))


# ------------------------------------------------------------------------- mistakes


def test_missing_id_column_is_named_in_every_layout(tmp_path):
    frame = long_frame({"A": 3, "B": 3})
    folder = write_partitioned(frame, tmp_path / "hive", id_column="store")
    with pytest.raises(SeqcastError, match=r"is partitioned by store, not by the id column 'shop'"):
        partition_table(folder, id_column="shop", process_id=0, num_processes=1)
    paths = write_files(frame, tmp_path / "files", [["A"], ["B"]])
    with pytest.raises(SeqcastError, match=r"part-00.parquet' has no id column 'shop'; its col"):
        partition_table(paths, id_column="shop", process_id=0, num_processes=2)
    frame.to_parquet(tmp_path / "one.parquet")
    with pytest.raises(SeqcastError, match=r"one.parquet' has no id column 'shop'; its columns"):
        partition_table(tmp_path / "one.parquet", id_column="shop", process_id=0, num_processes=1)


def test_more_processes_than_series_or_files(tmp_path):
    frame = long_frame({"A": 3, "B": 3})
    folder = write_partitioned(frame, tmp_path / "hive", id_column="store")
    with pytest.raises(SeqcastError, match=r"^3 processes cannot share the 2 series of '.*hive' "):
        partition_table(folder, id_column="store", process_id=0, num_processes=3)
    paths = write_files(frame, tmp_path / "files", [["A", "B"]])
    with pytest.raises(SeqcastError, match=r"run at most 1 processes, or split the series into"):
        partition_table(paths, id_column="store", process_id=1, num_processes=2)
    frame.to_csv(tmp_path / "one.csv", index=False)
    with pytest.raises(SeqcastError, match=r"one text file, which cannot be shared out"):
        partition_table(tmp_path / "one.csv", id_column="store", process_id=0, num_processes=2)


def test_bad_paths_processes_and_columns(tmp_path):
    with pytest.raises(SeqcastError, match=r"^there is no file or folder '.*nowhere'; check"):
        partition_table(tmp_path / "nowhere", id_column="store", process_id=0, num_processes=1)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SeqcastError, match=r"^the folder '.*empty' holds no data files"):
        partition_table(tmp_path / "empty", id_column="store", process_id=0, num_processes=1)
    with pytest.raises(SeqcastError, match=r"missing; list only existing data files$"):
        partition_table(
            [tmp_path / "gone.parquet"], id_column="store", process_id=0, num_processes=1
        )
    folder = write_partitioned(long_frame({"A": 3}), tmp_path / "hive", id_column="store")
    with pytest.raises(SeqcastError, match=r"^process_id must be below num_processes \(2\), got 2"):
        partition_table(folder, id_column="store", process_id=2, num_processes=2)
    with pytest.raises(SeqcastError, match=r"has no column price; its columns are: "):
        partition_table(folder, id_column="store", process_id=0, num_processes=1, columns=["price"])
    (tmp_path / "hive" / "notes.json").write_text("{}")
    with pytest.raises(SeqcastError, match=r"notes.json' lies outside the 'store=...' folders"):
        partition_table(folder, id_column="store", process_id=0, num_processes=1)


def test_empty_ids_are_refused(tmp_path):
    frame = long_frame({"A": 3, "B": 3})
    frame.loc[4, "store"] = None
    frame.to_parquet(tmp_path / "one.parquet")
    with pytest.raises(SeqcastError, match=r"has an empty id in column 'store' \(row 5\)"):
        partition_table(tmp_path / "one.parquet", id_column="store", process_id=0, num_processes=1)
    with pytest.raises(SeqcastError, match=r"^the id column 'store' is empty in row 5; give"):
        write_partitioned(frame, tmp_path / "hive", id_column="store")
    assert list(tmp_path.iterdir()) == [tmp_path / "one.parquet"]  # nothing half-written


# ------------------------------------------------------------------------- writing


def test_write_partitioned_refuses_an_existing_folder_unless_told(tmp_path):
    folder = write_partitioned(long_frame({"A": 2}), tmp_path / "p", id_column="store")
    with pytest.raises(SeqcastError, match=r"already exists; remove it, choose another folder"):
        write_partitioned(long_frame({"B": 2}), folder, id_column="store")
    write_partitioned(long_frame({"B": 2}), folder, id_column="store", overwrite=True)
    assert [path.name for path in tmp_path.iterdir()] == ["p"]  # no temporaries left
    assert [path.name for path in folder.iterdir()] == ["store=B"]


def test_write_partitioned_keeps_a_named_index_as_a_column(tmp_path):
    frame = long_frame({"A": 3, "B": 2}).set_index("date")
    folder = write_partitioned(frame, tmp_path / "p", id_column="store")
    back = partition_table(folder, id_column="store", process_id=0, num_processes=1)
    assert back.columns.tolist() == ["date", "sales", "step", "store"]
    assert back["date"].tolist() == frame.index.tolist()


def test_the_script_writes_us_employment_for_two_processes(tmp_path):
    out = tmp_path / "us"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_partitioned_panel.py"), str(out)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    from seqcast.data.datasets import load_dataset

    data = load_dataset("us_employment")
    parts = [
        partition_table(out, id_column=data.id_column, process_id=p, num_processes=2)
        for p in range(2)
    ]
    ids = [set(part[data.id_column]) for part in parts]
    assert not ids[0] & ids[1] and ids[0] | ids[1] == set(data.frame[data.id_column])
    assert sum(len(part) for part in parts) == len(data.frame)
    panel = read_panel(
        parts[1], data.target, id_column=data.id_column, date_column=data.date_column, freq="MS"
    )
    assert len(panel) == len(ids[1])


def test_ids_that_look_like_numbers_keep_their_zeros_in_files_and_hive_folders(tmp_path):
    frame = long_frame({"001": 4, "002": 3, "010": 5})
    write_files(frame, tmp_path / "csv", [["001", "002"], ["010"]], suffix=".csv")
    parts = shares(tmp_path / "csv", 2)
    assert [part["store"].unique().tolist() for part in parts] == [["001", "002"], ["010"]]
    hive = write_partitioned(frame, tmp_path / "hive", id_column="store")
    whole = partition_table(hive, id_column="store", process_id=0, num_processes=1)
    assert sorted(whole["store"].unique()) == ["001", "002", "010"]
    assert read_panel(whole, "sales", id_column="store").ids == ("001", "002", "010")
