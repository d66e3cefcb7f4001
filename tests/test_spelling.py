"""Argument names in the caller's language: a context, nested, reset, per thread."""

import threading

import pytest

from seqcast.spelling import argument, spelled_as


def test_the_library_words_unless_a_caller_spells_them_otherwise():
    assert argument("valid") == "valid" and argument("future=") == "future="
    with spelled_as({"valid": "--valid-from"}):
        with spelled_as({"future=": "--future"}):  # an inner block adds to the outer one
            assert (argument("valid"), argument("future=")) == ("--valid-from", "--future")
        assert argument("future=") == "future="
        assert argument("start") == "start"  # a word the caller did not map
    assert argument("valid") == "valid"


def test_the_spelling_ends_with_its_block_even_on_an_error():
    with pytest.raises(RuntimeError), spelled_as({"valid": "--valid-from"}):
        raise RuntimeError("the command failed")
    assert argument("valid") == "valid"


def test_another_thread_keeps_the_library_words():
    seen = []
    with spelled_as({"valid": "--valid-from"}):
        thread = threading.Thread(target=lambda: seen.append(argument("valid")))
        thread.start()
        thread.join()
    assert seen == ["valid"]
