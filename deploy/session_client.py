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
import uuid
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

# Streamlit's XSRF cookie: an upload's PUT sends its value back in the X-Xsrftoken header
XSRF_COOKIE = "_streamlit_xsrf"
# ForwardMsg.script_finished values (streamlit/proto/ForwardMsg.proto)
_FINISHED_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_FINISHED_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


@dataclass
class RunResult:
    """One script run as the client saw it."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)
    finished: bool = True
    texts: list[str] = field(default_factory=list)  # markdown and image captions, to check what ran


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
        self.hashes: dict[str, str] = {}  # st.navigation's pages: URL path -> script hash
        self.states: dict[str, WidgetState] = {}
        self.uploaders: list[str] = []
        self.session_id = ""
        self.cookies: dict[str, str] = {}
        self.ws: ClientConnection | None = None

    @property
    def pages(self) -> list[str]:
        """The app's pages by URL path ("" for Home), as the last navigation message listed them."""
        return list(self.hashes)

    def _cookie(self) -> str:
        # what a browser gets before its websocket: the proxy's stickiness cookie (none without a proxy)
        # and Streamlit's XSRF cookie (from the health check), which an upload sends back in a header
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for path in ("/", "/_stcore/health"):  # the page, then the health check the frontend makes first
            with opener.open(self.base + path, timeout=60) as response:
                response.read()
        self.cookies = {c.name: c.value or "" for c in jar}
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    async def open(self, page: str, timeout: float = 180.0, query: str = "") -> RunResult:
        """Connect and run ``page`` (its URL path, "" for Home; ``query``: the link's query string): the
        first page load, without static files."""
        t0 = time.perf_counter()
        cookie = await asyncio.to_thread(self._cookie)
        url = "ws" + self.base[len("http") :] + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else None
        self.ws = await connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=2**28, open_timeout=timeout
        )
        result = await self.run_page(page, timeout, query=query)
        result.seconds = time.perf_counter() - t0
        return result

    async def upload(self, name: str, data: bytes, timeout: float = 120.0) -> RunResult:
        """Upload a file into the page's first file uploader as the browser does (ask for an upload URL,
        PUT the file, rerun with the uploader's new state), timed until the run that uses it ends."""
        assert self.ws is not None and self.uploaders, "no file uploader on this page"
        t0 = time.perf_counter()
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.ws.send(request.SerializeToString())
        urls = await self._file_urls(request.file_urls_request.request_id, timeout)
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        state = WidgetState(id=self.uploaders[0])
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        self.states[state.id] = state
        result = await self.run_page(self.page, timeout)
        result.seconds = time.perf_counter() - t0
        return result

    async def _file_urls(self, request_id: str, timeout: float) -> FileURLs:
        assert self.ws is not None
        while True:
            data = await asyncio.wait_for(self.ws.recv(decode=False), timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.WhichOneof("type") == "file_urls_response":
                response = fwd.file_urls_response
                if response.response_id == request_id:
                    if response.error_msg:
                        raise RuntimeError(f"no upload URL: {response.error_msg}")
                    return response.file_urls[0]

    def _put(self, upload_url: str, name: str, data: bytes) -> None:
        # the multipart PUT of the browser's uploader, with the XSRF token and the cookies it has
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="UploadedFile"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if XSRF_COOKIE in self.cookies:
            headers["X-Xsrftoken"] = self.cookies[XSRF_COOKIE]
        url = upload_url if upload_url.startswith("http") else self.base + upload_url
        put = urllib.request.Request(url, data=body, headers=headers, method="PUT")
        with urllib.request.urlopen(put, timeout=120) as response:
            response.read()

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
        self, page: str, timeout: float = 120.0, trigger: WidgetState | None = None, query: str = ""
    ) -> RunResult:
        """Run ``page`` with the widget states so far (and a button's ``trigger``), until the script ends."""
        assert self.ws is not None
        if page != self.page:
            self.sliders, self.presets, self.uploaders = {}, [], []
        self.page = page
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.page_script_hash = self.hashes.get(page, "")
        msg.rerun_script.query_string = query
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
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "navigation":  # st.navigation's pages, by their URL paths
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
        elif which == "markdown":
            result.texts.append(el.markdown.body)
        elif which == "imgs":
            result.texts += [img.caption for img in el.imgs.imgs if img.caption]
        elif which == "slider" and not el.slider.disabled and len(el.slider.default) == 1:
            s = el.slider
            if s.id not in self.sliders:
                value = s.value[0] if s.set_value and s.value else s.default[0]
                self.sliders[s.id] = _Slider(s.min, s.max, s.step, value, tuple(s.options))
        elif which == "button" and "preset_" in el.button.id and el.button.id not in self.presets:
            self.presets.append(el.button.id)
        elif which == "file_uploader" and el.file_uploader.id not in self.uploaders:
            self.uploaders.append(el.file_uploader.id)


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
