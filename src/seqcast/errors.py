"""The one exception type seqcast raises for problems the user can fix."""


class SeqcastError(ValueError):
    """Bad input or a bad request, explained in one sentence that says what to do.

    The command line prints the message alone (no traceback); library users can
    catch it like the ``ValueError`` it is.
    """


class SeqcastWarning(UserWarning):
    """A result that may mislead, explained in one sentence that says what to do.

    The command line prints it as one line, ``seqcast: warning: ...``; library
    users see it through :mod:`warnings` and can filter it by this category.
    """
