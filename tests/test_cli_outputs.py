"""Outputs: every path checked before any work; a failed write is one sentence."""

import argparse
import errno

import pytest

from seqcast.cli.outputs import check_outputs, writing
from seqcast.errors import SeqcastError


def test_outputs_are_checked_and_no_two_flags_share_a_file(tmp_path):
    args = argparse.Namespace()
    check_outputs(args, {"--csv": str(tmp_path / "f.csv"), "--plot": None}, ())
    assert args.written == []  # the count of files written starts here
    same = str(tmp_path / "f.png")
    with pytest.raises(SeqcastError, match=r"cannot write '.*f.png': --csv writes it too"):
        check_outputs(args, {"--csv": same, "--plot": same}, ())
    data = tmp_path / "d.csv"
    data.write_text("y\n1\n")
    with pytest.raises(SeqcastError, match="it is the input"):
        check_outputs(args, {"--csv": str(data)}, (str(data),))


def test_writing_counts_what_was_written_and_words_a_failure(tmp_path, capsys):
    args = argparse.Namespace(written=[])
    target = tmp_path / "m.seqcast"
    with writing(args, str(target)):
        target.write_text("model")
    assert args.written == [str(target)]
    assert capsys.readouterr().out == f"wrote {target}\n"
    full_disk = pytest.raises(SeqcastError, match=r"cannot write '.*x.csv': no space left")
    with full_disk, writing(args, str(tmp_path / "x.csv")):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert args.written == [str(target)]
