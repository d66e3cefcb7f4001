"""Files that are no table (an image, an archive, a workbook) named as one sentence, no codec."""

import gzip
import io
import zipfile

import pandas as pd
import pytest

from seqcast.data.file_kind import not_a_table
from seqcast.data.read import read_table
from seqcast.errors import SeqcastError

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def zipped(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "date,y\n2024-01-01,1\n")
    return buffer.getvalue()


def test_an_image_named_csv_is_not_a_text_table(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_bytes(PNG)
    with pytest.raises(SeqcastError) as raised:
        read_table(path)
    message = str(raised.value)
    assert message == (
        f"'{path}' is not a text table (CSV/TSV) or a Parquet file (it is a PNG image); "
        "give the data as a CSV, TSV or Parquet file"
    )
    assert "charmap" not in message and "codec" not in message


def test_an_image_with_its_own_name_says_what_it_is(tmp_path):
    path = tmp_path / "chart.png"
    path.write_bytes(PNG)
    with pytest.raises(SeqcastError, match=r"chart\.png' is not a text table .*a PNG image"):
        read_table(path)


def test_a_zip_is_an_archive_to_unpack(tmp_path):
    for name in ("exports.zip", "exports.csv"):
        path = tmp_path / name
        path.write_bytes(zipped(["sales.csv"]))
        with pytest.raises(SeqcastError, match=r"\(it is a zip archive\); unpack it and give"):
            read_table(path)


def test_a_workbook_says_export_it_as_csv_or_use_read_excel(tmp_path):
    workbook = zipped(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"])
    for name in ("sales.xlsx", "sales.csv", "sales.xls"):
        path = tmp_path / name
        path.write_bytes(workbook)
        with pytest.raises(SeqcastError) as raised:
            read_table(path)
        assert str(raised.value) == (
            f"seqcast does not read the workbook format of '{path}' (Excel, OpenDocument); "
            "export the sheet as CSV (Save As, CSV UTF-8: a .csv file), or read it with "
            "pandas.read_excel and pass the DataFrame"
        )


def test_an_old_excel_workbook_named_csv(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    with pytest.raises(SeqcastError, match=r"^seqcast does not read the workbook format"):
        read_table(path)


def test_a_compressed_image_and_a_parquet_file_with_a_csv_name(tmp_path):
    path = tmp_path / "sales.csv.gz"
    path.write_bytes(gzip.compress(PNG))
    with pytest.raises(SeqcastError, match=r"is not a text table .*\(it is a PNG image\)"):
        read_table(path)
    parquet = tmp_path / "sales.csv"
    pd.DataFrame({"y": [1.0, 2.0]}).to_parquet(parquet)
    with pytest.raises(SeqcastError, match=r"is a Parquet file .*rename it to end in \.parquet$"):
        read_table(parquet)


def test_zero_bytes_make_a_binary_file_but_utf16_text_is_text(tmp_path):
    assert "(it is a binary file)" in not_a_table(tmp_path / "x.csv", b"ab\x00\x07\xff" * 40)
    utf16 = "date,y\n2024-01-01,1\n".encode("utf-16-le")  # no byte-order mark
    assert not_a_table(tmp_path / "x.csv", utf16) is None
    assert not_a_table(tmp_path / "x.csv", b"date,y\n2024-01-01,1\n") is None
