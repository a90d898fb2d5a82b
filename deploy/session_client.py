"""A Streamlit session without a browser: the app's own websocket protocol, to warm a room and load it.

A browser session costs the load generator a Chromium renderer (layout, plotly, images): on a small
machine that takes the cores the server is being measured on. This client speaks what the browser speaks
to the server (``/_stcore/stream``: ``BackMsg`` protobufs up, ``ForwardMsg`` down, as Streamlit's frontend
does), so a room of 20 costs the generator a few percent of a core. It keeps the widgets each run draws,
nudges sliders, presses the lesson presets and opens other pages, and times each action from the message
that starts the rerun to the server's "script finished". That is the server's share of what a laptop waits
for; the browser's drawing comes on top (the browser harness measures it with the drawing).

``deploy/room.py`` uses it to visit every page once in each new process before the room opens, and
``bench/bench_load.py --client ws`` to load a room.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import random
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

# ForwardMsg.script_finished values (streamlit/proto/ForwardMsg.proto)
_FINISHED_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_FINISHED_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


@dataclass
class RunResult:
    """One script run as the client saw it."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)
    finished: bool = True


@dataclass
class _Slider:
    # a one-value slider as drawn: bounds and step, its value (an option's index for a select_slider)
    low: float
    high: float
    step: float
    value: float
    options: tuple[str, ...]

    def nudge(self, wid: str, sign: int) -> WidgetState:
        """One step left or right (an arrow key), as the state the browser sends."""
        self.value = min(self.high, max(self.low, self.value + sign * self.step))
        if self.options:  # a select_slider sends the option's text
            return WidgetState(id=wid, string_array_value={"data": [self.options[int(self.value)]]})
        return WidgetState(id=wid, double_array_value={"data": [self.value]})


class WsSession:
    """One laptop's session on ``base`` (``http://host:port``), through a proxy's sticky cookie if any."""

    def __init__(self, base: str, rng: random.Random) -> None:
        self.base = base.rstrip("/")
        self.rng = rng
        self.page = ""
        self.sliders: dict[str, _Slider] = {}
        self.presets: list[str] = []
        self.pages: list[str] = []
        self.hashes: dict[str, str] = {}
        self.states: dict[str, WidgetState] = {}
        self.ws: ClientConnection | None = None

    def _cookie(self) -> str:
        # what a browser's first GET of the page gets: the proxy's stickiness cookie (none without a proxy)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.base + "/", timeout=60) as response:
            response.read()
        return "; ".join(f"{c.name}={c.value}" for c in jar)

    async def open(self, page: str, timeout: float = 180.0) -> RunResult:
        """Connect and run ``page`` (its URL path, "" for Home): the first page load, without static files."""
        t0 = time.perf_counter()
        cookie = self._cookie()
        url = "ws" + self.base[len("http") :] + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else None
        self.ws = await connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=2**28, open_timeout=timeout
        )
        result = await self.run_page(page, timeout)
        result.seconds = time.perf_counter() - t0
        return result

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def act(self, timeout: float = 120.0) -> RunResult | None:
        """A slider nudge, a preset or another page (weights 5 : 3 : 1, as the browser harness); None if
        the page has nothing to act on."""
        kind = self.rng.choices(("slider", "preset", "navigate"), weights=(5, 3, 1))[0]
        if kind == "slider" and self.sliders:
            wid = self.rng.choice(sorted(self.sliders))
            self.states[wid] = self.sliders[wid].nudge(wid, self.rng.choice((-1, 1)))
            return await self.run_page(self.page, timeout)
        if kind in ("slider", "preset") and self.presets:
            trigger = WidgetState(id=self.rng.choice(self.presets), trigger_value=True)
            return await self.run_page(self.page, timeout, trigger)
        if self.pages:
            self.states.clear()
            return await self.run_page(self.rng.choice(self.pages), timeout)
        return None

    async def run_page(
        self, page: str, timeout: float = 120.0, trigger: WidgetState | None = None
    ) -> RunResult:
        """Run ``page`` with the widget states so far (and a button's ``trigger``), until the script ends."""
        assert self.ws is not None
        if page != self.page:
            self.sliders, self.presets = {}, []
        self.page = page
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.page_script_hash = self.hashes.get(page, "")
        msg.rerun_script.query_string = ""
        widgets = [*self.states.values(), *([trigger] if trigger is not None else [])]
        msg.rerun_script.widget_states.widgets.extend(widgets)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        result = RunResult(0.0)
        deadline = time.monotonic() + timeout
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(decode=False), deadline - time.monotonic())
            except TimeoutError:
                result.finished = False
                break
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # st.navigation's pages, by their URL paths
                self.pages = [p.url_pathname for p in fwd.navigation.app_pages]
                self.hashes = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta":
                self._element(fwd, result)
            elif kind == "script_finished" and fwd.script_finished in (_FINISHED_OK, _FINISHED_ERROR):
                break
        result.seconds = time.perf_counter() - t0
        return result

    def _element(self, fwd: ForwardMsg, result: RunResult) -> None:
        if fwd.delta.WhichOneof("type") != "new_element":
            return
        el = fwd.delta.new_element
        which = el.WhichOneof("type")
        if which == "exception":
            result.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:200])
        elif which == "slider" and not el.slider.disabled and len(el.slider.default) == 1:
            s = el.slider
            if s.id not in self.sliders:
                value = s.value[0] if s.set_value and s.value else s.default[0]
                self.sliders[s.id] = _Slider(s.min, s.max, s.step, value, tuple(s.options))
        elif which == "button" and "preset_" in el.button.id and el.button.id not in self.presets:
            self.presets.append(el.button.id)


async def visit_every_page(base: str, timeout: float = 300.0) -> list[str]:
    """Run every page of the app at ``base`` once, in one session (its imports, compiled loops and shared
    caches are then loaded); the exceptions seen, if any."""
    s = WsSession(base, random.Random(0))
    problems: list[str] = []
    try:
        first = await s.open("", timeout)
        problems += first.exceptions
        for page in [p for p in s.pages if p]:
            s.states.clear()
            r = await s.run_page(page, timeout)
            problems += [f"/{page}: {e}" for e in r.exceptions]
            if not r.finished:
                problems.append(f"/{page}: no answer in {timeout:g} s")
    finally:
        await s.close()
    return problems
