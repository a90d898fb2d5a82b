"""String catalogues, one package per language (``en``, ``zh``), each with one module per page and the
same module names and keys in every language."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable


def collect(package: str, path: Iterable[str]) -> dict[str, str]:
    """The ``STRINGS`` of every module of a language package, merged; a key defined twice is an error."""
    strings: dict[str, str] = {}
    for module in pkgutil.iter_modules(path):
        more = importlib.import_module(f"{package}.{module.name}").STRINGS
        clash = strings.keys() & more.keys()
        if clash:
            raise KeyError(f"string keys defined twice in {package}: {sorted(clash)}")
        strings.update(more)
    return strings
