"""``python -m seqcast.cli``: the ``seqcast`` command."""

from seqcast.cli import run

if __name__ == "__main__":
    run()
