"""The string catalogues: every key in both languages, the same placeholders, every key the code asks for."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ui.i18n import CATALOGS, LANGUAGES
from ui.locales import en, zh

ROOT = Path(__file__).resolve().parents[1]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_a_catalogue() -> None:
    assert set(CATALOGS) == set(LANGUAGES)


def test_every_key_exists_in_both_languages() -> None:
    missing_zh = sorted(en.STRINGS.keys() - zh.STRINGS.keys())
    missing_en = sorted(zh.STRINGS.keys() - en.STRINGS.keys())
    assert not missing_zh, f"keys missing in Chinese: {missing_zh}"
    assert not missing_en, f"keys missing in English: {missing_en}"


def test_locale_modules_match() -> None:
    def names(pkg) -> set[str]:
        return {p.stem for p in Path(pkg.__file__).parent.glob("*.py") if p.stem != "__init__"}

    assert names(en) == names(zh)


def test_placeholders_agree() -> None:
    shared = en.STRINGS.keys() & zh.STRINGS.keys()
    wrong = sorted(k for k in shared if _fields(en.STRINGS[k]) != _fields(zh.STRINGS[k]))
    assert not wrong, f"placeholders differ between English and Chinese: {wrong}"


def test_no_string_is_empty() -> None:
    for code, catalogue in CATALOGS.items():
        empty = [k for k, v in catalogue.items() if not v.strip()]
        assert not empty, f"{code}: empty strings for {empty}"


def test_every_key_the_code_asks_for_exists() -> None:
    sources = [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    asked = {m.group(1): src.name for src in sources for m in LITERAL_KEY.finditer(src.read_text())}
    missing = {k: f for k, f in asked.items() if k not in en.STRINGS}
    assert not missing, f"keys used in code but not in the catalogue: {missing}"


TEX_WORD = re.compile(r"\\text\{\{?@([a-z_]+)")
TEX_PLAIN = re.compile(r"\\text\{\{?([^@{}]*)")
NOTATION = {"", "eff", " "}  # subscripts that are notation, not words to translate


def _code_sources() -> list[Path]:
    """The code that writes formulas (``ui/i18n.py``, which only rewrites them, left out)."""
    sources = [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    return [src for src in sources if src.name != "i18n.py"]


def test_every_formula_word_is_in_both_languages() -> None:
    asked = {m.group(1): src.name for src in _code_sources() for m in TEX_WORD.finditer(src.read_text())}
    assert asked, "no \\text{@word} found: the pattern no longer matches the code"
    missing = {k: f for k, f in asked.items() if f"tex.{k}" not in en.STRINGS or f"tex.{k}" not in zh.STRINGS}
    assert not missing, f"formula words without a string: {missing}"


def test_formulas_hold_no_untranslated_words() -> None:
    """Words inside formulas go through ``\\text{@key}``; plain ``\\text{...}`` is left for notation."""
    plain = {
        (src.name, m.group(1))
        for src in _code_sources()
        for m in TEX_PLAIN.finditer(src.read_text())
        if re.search(r"[A-Za-z]{2,}", m.group(1)) and m.group(1).strip() not in NOTATION
    }
    assert not plain, f"English words in formulas: {sorted(plain)}"


def test_tex_puts_the_current_language_into_a_formula() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui.i18n import tex

        st.session_state["lang"] = st.session_state.get("lang", "English")
        st.text(tex(r"\frac{\text{@separable}}{\text{@standard}},\ \text{@depthwise: } x"))

    at = AppTest.from_function(script).run()
    assert at.text[0].value == r"\frac{\text{separable}}{\text{standard}},\ \text{depthwise: } x"
    at.session_state["lang"] = "中文"
    at.run()
    assert at.text[0].value == r"\frac{\text{深度可分离}}{\text{标准卷积}},\ \text{深度卷积: } x"
