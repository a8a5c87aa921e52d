"""Switch off the product's modules that reach into library internals, for one server process.

    BENCH_INTERNALS_OFF=execution,fields,optimizer   (any of them; read by bench.benchapp at start)

Issue 11 asks whether graphql_api/execution.py, fields.py and optimizer.py still pay for
themselves. Each of them subclasses a library class (graphql-core's execution context through
Strawberry's, strawberry-django's field, strawberry-django's optimizer extension) and overrides
some of its methods. Switching a module off removes those overrides from its classes, so every
place the product uses them gets the library's behaviour, whatever the product names them and
wherever it wires them in. Nothing is edited on disk; only the process that was asked is changed.

fields.py decides at schema build time which fields are "basic", so it must be switched off
before graphql_api.schema is imported: bench.benchapp does it in AppConfig.ready(), which Django
runs before the URLconf (and with it the schema) is loaded.
"""
import importlib
import inspect
import os
import sys
from functools import cached_property

MODULES = {
    "execution": "graphql_api.execution",
    "fields": "graphql_api.fields",
    "optimizer": "graphql_api.optimizer",
}
LIBRARIES = ("strawberry", "strawberry_django", "graphql")
# What Python itself puts in a class's namespace; the rest of it is the module's overrides.
CLASS_MACHINERY = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__annotations__",
                   "__orig_bases__", "__parameters__", "__slots__", "__firstlineno__", "__static_attributes__",
                   "__abstractmethods__", "_abc_impl"}
# Kept: a constructor takes the product's options (PlannedOptimizer's max_document_length), which the
# library's would refuse; what it sets up is read only by the overrides that are removed.
KEPT = {"__init__"}

# name -> what was removed, for the /bench/internals/ answer that run.py verifies.
switched_off: dict[str, list[str]] = {}


def requested() -> list[str]:
    names = [name.strip() for name in os.environ.get("BENCH_INTERNALS_OFF", "").split(",") if name.strip()]
    unknown = sorted(set(names) - set(MODULES))
    if unknown:
        raise RuntimeError(f"BENCH_INTERNALS_OFF: unknown {unknown}; known: {sorted(MODULES)}")
    return names


def _is_override(value) -> bool:
    return inspect.isfunction(value) or isinstance(value, (property, cached_property, classmethod, staticmethod))


def _library_subclasses(module) -> list[type]:
    return [value for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
            and any(base.__module__.split(".")[0] in LIBRARIES for base in value.__mro__[1:])]


def switch_off(name: str) -> list[str]:
    if name == "fields" and "graphql_api.schema" in sys.modules:
        raise RuntimeError("graphql_api.schema was imported before fields.py could be switched off")
    module = importlib.import_module(MODULES[name])
    removed = []
    for cls in _library_subclasses(module):
        own = [attribute for attribute, value in vars(cls).items()
               if attribute not in CLASS_MACHINERY | KEPT and (_is_override(value) or any(
                   hasattr(base, attribute) for base in cls.__mro__[1:]))]
        for attribute in own:
            delattr(cls, attribute)
        if own:
            removed.append(f"{cls.__name__}: {', '.join(own)}")
    if not removed:
        raise RuntimeError(f"{MODULES[name]} has no library subclass to switch off any more")
    switched_off[name] = removed
    return removed


def apply_from_environment() -> None:
    for name in requested():
        switch_off(name)
