"""UI strings: one catalogue per language (``ui/locales/<code>.py``), looked up by key."""

from __future__ import annotations

import re

import streamlit as st

from ui.locales import en, zh

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
CATALOGS: dict[str, dict[str, str]] = {"en": en.STRINGS, "zh": zh.STRINGS}


_BY_NAME = {name: code for code, name in LANGUAGES.items()}


def current_language() -> str:
    """The language code chosen in the sidebar, or in the link before the sidebar is drawn (``"en"``).

    The switch and the link hold the language's own name (``English``, ``中文``).
    """
    value = st.session_state.get("lang") or st.query_params.get("lang", "English")
    return _BY_NAME.get(value, "en")


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language, formatted with ``values``."""
    catalogue = CATALOGS[current_language()]
    text = catalogue.get(key, CATALOGS["en"][key])
    return text.format(**values) if values else text


def plural(key: str, n: int, **values: object) -> str:
    """``t(key)`` for a count ``n``: the string ``<key>_one`` when ``n`` is 1 (singular nouns and verbs)."""
    return t(key + "_one" if n == 1 else key, **values)


def ordinal(n: int) -> str:
    """``n`` as an ordinal in the current language: 1st, 2nd, 3rd, 4th, 11th, 22nd (``n`` as is in Chinese,
    whose strings say 第 n)."""
    if current_language() != "en":
        return str(n)
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_TEX_WORD = re.compile(r"\\text\{@([a-z_]+)")


def tex(latex: str) -> str:
    """A LaTeX formula with its words in the current language: ``\\text{@<key>`` becomes ``\\text{``
    followed by the string ``tex.<key>`` (the rest of the braces, such as ``: }``, is kept)."""
    return _TEX_WORD.sub(lambda m: "\\text{" + t(f"tex.{m.group(1)}").replace("\\", ""), latex)


def latex(body: str) -> None:
    """``st.latex`` of a formula whose ``\\text{@key}`` words are shown in the current language."""
    st.latex(tex(body))
