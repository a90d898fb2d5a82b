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
