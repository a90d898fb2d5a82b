"""English UI strings: one module per page (same module names and keys in every language)."""

from __future__ import annotations

import importlib
import pkgutil

STRINGS: dict[str, str] = {}
for _module in pkgutil.iter_modules(__path__):
    _strings = importlib.import_module(f"{__name__}.{_module.name}").STRINGS
    _clash = STRINGS.keys() & _strings.keys()
    if _clash:
        raise KeyError(f"string keys defined twice in {__name__}: {sorted(_clash)}")
    STRINGS.update(_strings)
