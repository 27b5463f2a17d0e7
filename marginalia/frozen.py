"""Frozen records that pickle as their class and field values, for the build cache.

A frozen dataclass with slots pickles through dataclasses' `__setstate__`, a Python loop over
`fields()` with one `object.__setattr__` per field. The build cache holds about 350,000 such
records at 10,000 articles, and unpickling them that way was most of an incremental build's
load stage; rebuilding each by calling its class (the generated `__init__`) takes a third less.
"""

from __future__ import annotations

import dataclasses
import importlib
import operator
from collections.abc import Callable
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def pickled_by_fields(cls: C) -> C:
    """Make `cls` (a dataclass whose fields are all `__init__` arguments, in order) pickle as its field values.

    A class with slots is rebuilt by a function made for it (`maker`), which sets each slot
    through its descriptor: a quarter less time than calling the class, whose frozen `__init__`
    goes through `object.__setattr__` once per field (at 10,000 articles, 0.3 s of an edit's build).
    """
    names = [f.name for f in dataclasses.fields(cls)]
    if any(not f.init or f.kw_only for f in dataclasses.fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ argument")
    values = operator.attrgetter(*names)
    rebuild: Any = maker(cls, names) if "__slots__" in cls.__dict__ and not hasattr(cls, "__post_init__") else cls
    if len(names) == 1:
        def reduce_one(self: Any) -> tuple[Any, ...]:
            return (rebuild, (values(self),))
        cls.__reduce__ = reduce_one  # type: ignore[assignment]
    else:
        def reduce_many(self: Any) -> tuple[Any, ...]:
            return (rebuild, values(self))
        cls.__reduce__ = reduce_many  # type: ignore[assignment]
    return cls


def maker_name(cls: type) -> str:
    """The name in this module of the function that rebuilds an instance of `cls` (pickle finds it by that name)."""
    return f"_make__{cls.__module__.replace('.', '__')}___{cls.__qualname__.replace('.', '_')}"


def maker(cls: type, names: list[str]) -> Callable[..., Any]:
    """A module-level function `(*values) -> cls instance`, each value set straight into its slot."""
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope.update((f"set{index}", getattr(cls, name).__set__) for index, name in enumerate(names))
    arguments = ", ".join(f"v{index}" for index in range(len(names)))
    lines = "".join(f"    set{index}(made, v{index})\n" for index in range(len(names)))
    exec(f"def rebuild({arguments}):\n    made = new(cls)\n{lines}    return made\n", scope)  # noqa: S102 - our own names
    function: Callable[..., Any] = scope["rebuild"]
    function.__module__, function.__qualname__ = __name__, maker_name(cls)
    function.__name__ = function.__qualname__
    globals()[function.__qualname__] = function
    return function


def __getattr__(name: str) -> Any:
    """A maker asked for before its class's module was imported (a cache read early): import it, then look again."""
    module, _, qualname = name.removeprefix("_make__").rpartition("___")
    if not name.startswith("_make__") or not module:
        raise AttributeError(name)
    try:
        importlib.import_module(module.replace("__", "."))
    except ImportError as exc:
        raise AttributeError(name) from exc
    if name not in globals():
        raise AttributeError(name)
    return globals()[name]
