"""Workshop mode on the Training lab: links of language-independent codes that reproduce the view in
English and in Chinese, hostile links, the page in Chinese, help texts, the projector view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.training_lab as lab
from ui.locales.en import STRINGS as EN
from ui.locales.zh import STRINGS as ZH

from .links import Link, link_of
from .pages import open_page

PAGE = "app_pages/training_lab.py"
WIDGETS = ("button_group", "selectbox", "text_input", "number_input", "slider")
NOTICE = (
    "link had values"  # the app's notice of ignored link values: "The link had values this page cannot use …"
)
LABELS = {v for k, v in (*EN.items(), *ZH.items()) if k.startswith("training_lab.")}


def _open(link: Link | None = None) -> AppTest:
    return open_page(PAGE, link, timeout=60)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _controls(at: AppTest) -> dict[str, object]:
    """Every tr_ control on screen and its value."""
    return {w.key: w.value for kind in WIDGETS for w in at.get(kind) if w.key and w.key.startswith("tr_")}


def _notices(at: AppTest) -> list[str]:
    return [n.value for n in at.info if "`" in n.value or NOTICE in n.value or "链接" in n.value]


def _texts(at: AppTest) -> list[str]:
    """Every text a person can read (markdown, captions, notices, titles, labels, buttons, table headers)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [w.label for kind in WIDGETS for w in at.get(kind)]
    out += [b.label for b in at.button]
    out += [" ".join(map(str, df.value.columns)) for df in at.dataframe]
    return out


def _has_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _long_memory_view(lang: str | None = None) -> AppTest:
    """A preset, then a slot and the activation changed by hand."""
    at = _open({"lang": lang} if lang else None)
    at.button(key="tr_preset_long_memory").click()
    _run(at)
    at.selectbox(key="tr_kind2").set_value("ds")
    _run(at)
    at.text_input(key="tr_rates3").set_value("1, 2, 4, 8, 16, 32")
    at.selectbox(key="tr_act").set_value("gelu")
    at.number_input(key="tr_seed").set_value(42)
    return _run(_run(at))  # link_of reads widget states, which catch up with a callback's sets next run


def test_a_link_holds_codes_and_opens_in_both_languages() -> None:
    at = _long_memory_view()
    link = link_of(at)
    assert link["tr_task"] == "memory" and link["tr_kind2"] == "ds" and link["tr_act"] == "gelu"
    assert link["tr_blank"] == "100" and link["tr_seed"] == "42"
    assert link["tr_rates3"] == "1, 2, 4, 8, 16, 32"
    for key, value in link.items():
        values = value if isinstance(value, list) else [value]
        assert not any(_has_cjk(v) or v in LABELS for v in values), (key, value)
    # the same view made in Chinese has the same link, but for the language
    zh_link = link_of(_long_memory_view("中文"))
    assert zh_link.pop("lang") in ("中文", ["中文"])
    assert zh_link == link
    for lang in (None, "中文"):
        fresh = _open({**link, "lang": lang} if lang else link)
        assert _controls(fresh) == _controls(at), lang
        assert not _notices(fresh), _notices(fresh)
        assert [c.value for c in fresh.caption if " weights · " in c.value or " 个权重" in c.value]
        title = fresh.title[0].value
        assert title == (ZH if lang else EN)["training_lab.title"]
    # switching the language on the page keeps the view and its link
    controls = _controls(at)
    at.button_group(key="lang").set_value("中文")
    _run(_run(at))
    assert at.title[0].value == ZH["training_lab.title"] and _controls(at) == controls
    assert {k: v for k, v in link_of(at).items() if k != "lang"} == link


def test_a_hand_written_link_of_codes_opens_its_task() -> None:
    at = _open({"tr_task": "filter", "tr_op": "dog", "tr_kind1": "ds", "tr_device": "cpu", "lang": "中文"})
    assert at.segmented_control(key="tr_task").value == "filter"
    assert (at.selectbox(key="tr_op").value, at.selectbox(key="tr_kind1").value) == ("dog", "ds")
    assert at.selectbox(key="tr_device").value == "cpu"
    assert not _notices(at)
    assert link_of(at.run())["tr_op"] == "dog"


HOSTILE: Link = {
    "tr_rates1": "<script>alert(1)</script>",
    "tr_dy": "99",
    "tr_seed": "1e999",
    "tr_task": "xx",
    "tr_kind2": "zz",
    "tr_rates3": "x" * 10_000,
}


@pytest.mark.parametrize("lang", [None, "中文"])
def test_a_hostile_link_opens_with_notices_and_never_shows_its_values(lang: str | None) -> None:
    at = _open({**HOSTILE, "lang": lang} if lang else HOSTILE)
    notices = " ".join(_notices(at))
    warnings = " ".join(w.value for w in at.warning)
    for key in ("tr_dy", "tr_seed", "tr_task", "tr_kind2"):
        assert f"`{key}`" in notices, (key, notices)
    for key, n in (("tr_rates1", 1), ("tr_rates3", 3)):  # kept in its box, or dropped with a notice
        said = (ZH if lang else EN)["training_lab.bad_rates"].format(n=n)
        assert f"`{key}`" in notices or said in warnings, (key, notices, warnings)
    controls = _controls(at)
    assert controls["tr_task"] == "offset" and controls["tr_kind2"] == lab.DEFAULTS["tr_kind2"]
    assert controls["tr_dy"] == lab.DEFAULTS["tr_dy"] and controls["tr_seed"] == lab.DEFAULTS["tr_seed"]
    for text in _texts(at):
        assert "<script>" not in text and "x" * 100 not in text and "1e999" not in text and "zz" not in text
    assert len(at.caption) > 0 and at.title[0].value  # the page is drawn
    # the model that was left out stays out; the others race
    at.button(key="tr_one_step").click()
    _run(at)
    assert at.dataframe or at.table


def test_the_page_in_chinese() -> None:
    at = _open({"lang": "中文"})
    assert at.title[0].value == "训练实验室" == ZH["training_lab.title"]
    assert at.segmented_control(key="tr_task").label == ZH["training_lab.tr_task"]
    assert at.segmented_control(key="tr_task").options == [
        ZH[f"training_lab.task.{c}"] for c in lab.TASK_CODES
    ]
    assert at.selectbox(key="tr_kind1").label == ZH["training_lab.tr_kind1"]
    assert at.selectbox(key="tr_kind1").options == [ZH[f"training_lab.kind.{c}"] for c in lab.KIND_OPTIONS]
    assert at.button(key="tr_go").label == ZH["training_lab.play"]
    english_presets = {EN[f"training_lab.preset.{p}"] for p in lab.PRESETS}
    buttons = {b.label for b in at.button}
    assert not buttons & english_presets
    assert {ZH[f"training_lab.preset.{p}"] for p in lab.PRESETS} <= buttons
    assert ZH["training_lab.models"] in [s.value for s in at.subheader]
    # no English sentence in the captions (the model cards name layers with codes and numbers only)
    assert not any(" the " in c.value for c in at.caption), [c.value for c in at.caption]
    at.button(key="tr_preset_memory").click()
    _run(at)
    assert any(ZH["training_lab.preset.memory.idea"] in c.value for c in at.caption)


def _helpless(at: AppTest) -> list[str]:
    kinds = (*WIDGETS, "button", "download_button", "file_uploader")
    return [f"{kind}:{w.key or w.proto.label}" for kind in kinds for w in at.get(kind) if not w.proto.help]


def test_every_widget_has_a_help_text() -> None:
    at = _open({"tr_task": "memory", "tr_kind3": "off", "tr_kind4": "off"})
    at.button(key="tr_one_step").click()
    _run(at)
    assert at.selectbox(key="tr_recall") is not None and len(at.get("download_button")) == 2
    assert not _helpless(at), _helpless(at)
    at.button(key="tr_go").click()
    _run(at)
    assert at.button(key="tr_stop") is not None
    assert not _helpless(at), _helpless(at)
    at = _open({"tr_task": "filter", "tr_source": "upload"})
    assert at.file_uploader(key="tr_upload") is not None
    assert not _helpless(at), _helpless(at)


def test_the_projector_view() -> None:
    at = _open({"projector": "true", "tr_kind3": "off", "tr_kind4": "off"})
    assert len([c for c in at.caption if " weights · " in c.value]) == 2
    at.button(key="tr_one_step").click()
    _run(at)
    # the results are a plain table in the projector view (the grid's canvas ignores its bigger font)
    assert not at.dataframe and len(at.table) == 1
    assert len(at.table[0].value) == 2
    assert EN["training_lab.results"] in [s.value for s in at.subheader]


def test_a_link_naming_only_the_task_opens_its_lesson() -> None:
    """Controls a link leaves out take the task's default comparison, not the offset task's."""
    at = _open({"tr_task": "memory"})
    race = lab.DEFAULT_RACES["memory"]
    controls = _controls(at)
    assert (controls["tr_kernel"], controls["tr_width"]) == (race.kernel_size, race.width)
    assert controls["tr_rates1"] == "1, 2, 4, 8, 16" and controls["tr_kind4"] == "conv"
    assert not _notices(at)


def test_a_value_equal_to_the_page_default_but_not_the_tasks_round_trips() -> None:
    """Width 8 is the page default but not the memory task's (16): the link must still carry it."""
    at = _open({"tr_task": "memory"})
    at.selectbox(key="tr_width").set_value(8)
    at.text_input(key="tr_rates4").set_value("1, 2, 5")
    link = link_of(_run(_run(at)))
    assert link["tr_width"] == "8" and link["tr_rates4"] == "1, 2, 5"
    again = _controls(_open(link))
    assert (again["tr_width"], again["tr_rates4"]) == (8, "1, 2, 5")
