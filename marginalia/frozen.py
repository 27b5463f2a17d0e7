"""Frozen records that pickle as their class and field values, for the build cache.

A frozen dataclass with slots pickles through dataclasses' `__setstate__`, a Python loop over
`fields()` with one `object.__setattr__` per field. The build cache holds about 350,000 such
records at 10,000 articles, and unpickling them that way was most of an incremental build's
load stage; rebuilding each by calling its class (the generated `__init__`) takes a third less.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def pickled_by_fields(cls: C) -> C:
    """Make `cls` (a dataclass whose fields are all `__init__` arguments, in order) pickle as `cls(*values)`."""
    names = [f.name for f in dataclasses.fields(cls)]
    if any(not f.init or f.kw_only for f in dataclasses.fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ argument")
    values = operator.attrgetter(*names)
    if len(names) == 1:
        def reduce_one(self: Any) -> tuple[Any, ...]:
            return (type(self), (values(self),))
        cls.__reduce__ = reduce_one  # type: ignore[assignment]
    else:
        def reduce_many(self: Any) -> tuple[Any, ...]:
            return (type(self), values(self))
        cls.__reduce__ = reduce_many  # type: ignore[assignment]
    return cls
