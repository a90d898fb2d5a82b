"""Chinese UI strings: one module per page (same module names and keys in every language)."""

from __future__ import annotations

from ui.locales import collect

STRINGS: dict[str, str] = collect(__name__, __path__)
