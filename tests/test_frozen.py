"""Frozen records pickle as their field values (frozen.py): the same record back, in this process or a new one."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from dataclasses import FrozenInstanceError

import pytest

from marginalia import frozen
from marginalia.content.records import Lines, SourceRef
from marginalia.diagnostics import error
from marginalia.incremental.loadcache import FileResult
from marginalia.pipeline import TOOL_ROOT


def test_a_record_comes_back_equal_and_frozen() -> None:
    """A record rebuilt slot by slot is equal to the original, hashes the same and is still frozen."""
    ref = SourceRef("content/speakers/a.md", 3)
    result = FileResult((1, 2, 3), "digest", (Lines.of_keys(ref, {"name": 2}), dt.date(2026, 1, 2)),
                        (error(ref, "message", "hint"),))
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == result and type(again) is FileResult and hash(again.problems) == hash(result.problems)
    assert type(again.value[0].ref) is SourceRef
    with pytest.raises(FrozenInstanceError):
        again.digest = "other"  # type: ignore[misc]


def test_a_record_is_rebuilt_by_its_maker() -> None:
    """Each class is rebuilt by a function of frozen.py named for it, not by calling the class."""
    reduced = SourceRef("a", 1).__reduce__()
    assert reduced[0] is getattr(frozen, frozen.maker_name(SourceRef)) and reduced[1] == ("a", 1)


def test_a_new_process_finds_the_maker_before_importing_the_class() -> None:
    """Unpickling in a process that has not imported the record's module yet imports it (frozen.__getattr__)."""
    data = pickle.dumps(SourceRef("content/topics/b.md", 7), protocol=pickle.HIGHEST_PROTOCOL)
    code = "import pickle, sys; print(repr(pickle.loads(sys.stdin.buffer.read())))"
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, cwd=TOOL_ROOT, check=True)
    assert done.stdout.decode().strip() == repr(SourceRef("content/topics/b.md", 7))
    with pytest.raises(AttributeError):
        frozen.__getattr__("_make__marginalia__no_such_module___Thing")
