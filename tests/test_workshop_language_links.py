"""Links do not depend on the language: a link made in English opens the same view in Chinese and back.

Choices shown through translated labels keep their option *code* in the link (never the label), so a
preset chosen in one language, copied and opened in the other, shows the same widget values and no
"values ignored" notice.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.links import Link, link_of, open_link
from ui.locales.en.workshop import STRINGS as EN
from ui.locales.zh.workshop import STRINGS as ZH

APP = "app.py"
KINDS = (
    "selectbox",
    "radio",
    "multiselect",
    "button_group",
    "slider",
    "select_slider",
    "toggle",
    "number_input",
    "text_input",
)
NOTICE_STARTS = tuple(s["workshop.link_ignored"].split("{")[0] for s in (EN, ZH))

# page script, widget-key prefix, preset to click, further choices to set (key -> option code)
PAGES = {
    "image_lab": (
        "app_pages/image_lab.py",
        "lab_",
        "sobel",
        {"lab_kind": "separable", "lab_norm": "shared", "lab_view": "crop", "lab_channels": "grey"},
    ),
    "sampling_grid": ("app_pages/sampling_grid.py", "sg_", "reflect_padding", {"sg_view": "pick"}),
    "receptive_field": (
        "app_pages/receptive_field.py",
        "rf_",
        "wavenet",
        {"rf_erf_weights": "uniform"},
    ),
}


def _open(script: str, link: Link) -> AppTest:
    at = open_link(APP, link, page=script, timeout=60)
    assert not at.exception, [e.message for e in at.exception]
    return at


def _values(at: AppTest, prefix: str) -> dict[str, object]:
    """Every control of the page on screen and its value (option codes), the open tab by its code."""
    values = {
        w.key: w.value for kind in KINDS for w in at.get(kind) if w.key and w.key.startswith(prefix)
    }
    if prefix == "lab_":
        values["lab_tab"] = at.query_params.get("lab_tab", ["maps"])
    return values


def _notices(at: AppTest) -> list[str]:
    return [n.value for n in at.info if n.value.startswith(NOTICE_STARTS)]


def _set(at: AppTest, values: dict[str, object]) -> AppTest:
    for key, value in values.items():
        widget = next(w for kind in KINDS for w in at.get(kind) if w.key == key)
        widget.set_value(value)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    return at.run()  # a value set by a callback reaches the widget tree on the next run


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(("made_in", "opened_in"), [("English", "中文"), ("中文", "English")])
def test_a_link_made_in_one_language_opens_the_same_view_in_the_other(
    page: str, made_in: str, opened_in: str
) -> None:
    script, prefix, preset, choices = PAGES[page]
    at = _open(script, {} if made_in == "English" else {"lang": made_in})
    at.button(key=f"{prefix}preset_{preset}").click().run()
    _set(at, choices)
    link = link_of(at)
    for key, code in choices.items():
        assert link[key] == code, (key, link)  # the option's code, not its label
    link = {k: v for k, v in link.items() if k != "lang"}
    if opened_in != "English":
        link["lang"] = opened_in
    again = _open(script, link)
    assert not _notices(again), _notices(again)
    assert _values(again, prefix) == _values(at, prefix)


def test_an_older_link_with_english_labels_still_opens() -> None:
    link = {"sg_mode": "reflect", "sg_view": "Pick a cell", "sg_pad": "same", "lang": "中文"}
    at = _open("app_pages/sampling_grid.py", link)
    assert not _notices(at)
    values = _values(at, "sg_")
    assert (values["sg_mode"], values["sg_view"], values["sg_pad"]) == ("reflect", "pick", "same")
    assert at.query_params["sg_view"] in ("pick", ["pick"])  # rewritten as the code


def test_a_bad_choice_in_a_link_is_named_in_the_notice() -> None:
    at = _open("app_pages/receptive_field.py", {"rf_mode": "3D"})
    assert any("`rf_mode`" in n for n in _notices(at)), _notices(at)
    assert _values(at, "rf_")["rf_mode"] == "2D"


@pytest.mark.parametrize(
    ("script", "prefix", "values"),
    [
        ("app_pages/depthwise_separable.py", "ds_", None),
        ("app_pages/cost.py", "cost_", {"cost_format": "channels_last", "cost_device": "cpu"}),
    ],
)
def test_other_pages_links_do_not_depend_on_the_language(
    script: str, prefix: str, values: dict[str, object] | None
) -> None:
    at = _open(script, {})
    presets = [b for b in at.button if b.key and b.key.startswith(f"{prefix}preset_")]
    presets[-1].click().run()
    if values:
        _set(at, values)
    again = _open(script, {**link_of(at), "lang": "中文"})
    assert not _notices(again), _notices(again)
    assert _values(again, prefix) == _values(at, prefix)
