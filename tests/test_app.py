"""AppTest of the app shell: the Home page and the navigation to every page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.nav import PAGES

from .conftest import ROOT


@pytest.fixture()
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    return at


def test_home_renders_without_exception(app: AppTest) -> None:
    assert not app.exception
    assert app.title[0].value == "dsdcn explorer"
    assert len(app.latex) >= 8
    assert app.metric[0].label == "Kernel span"  # short: the settings go under the value (issue 15)
    assert app.metric[0].proto.delta == "3×3 kernel at dilation 2"
    assert app.metric[0].value == "5×5 pixels"
    assert app.metric[1].value == "73,728"  # 64·128·3²
    assert app.metric[2].value == "8,768"  # 64·3² + 64·128
    assert any("PyTorch" in c.value for c in app.caption)


@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_every_page_opens(app: AppTest, info) -> None:
    app.switch_page(info.path).run()
    assert not app.exception
    assert app.title[0].value == info.title
