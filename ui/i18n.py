"""UI strings: one catalogue per language (``ui/locales/<code>.py``), looked up by key."""

from __future__ import annotations

import streamlit as st

from ui.locales import en, zh

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
CATALOGS: dict[str, dict[str, str]] = {"en": en.STRINGS, "zh": zh.STRINGS}


def current_language() -> str:
    """The language chosen in the sidebar (``"en"`` by default)."""
    code = st.session_state.get("lang", "en")
    return code if code in CATALOGS else "en"


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language, formatted with ``values``."""
    catalogue = CATALOGS[current_language()]
    text = catalogue.get(key, CATALOGS["en"][key])
    return text.format(**values) if values else text
