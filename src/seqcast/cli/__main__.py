"""``python -m seqcast.cli``: the ``seqcast`` command."""

import sys

from seqcast.cli import main

if __name__ == "__main__":
    sys.exit(main())
