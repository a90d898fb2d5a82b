"""The queue for the CPU seen from a page: a request that waits says how many are ahead, inside an
``st.cache_data`` function too, and the notice goes when its turn comes."""

from __future__ import annotations

import threading
import time

from streamlit.testing.v1 import AppTest

from dsdcn import budget

from .cpu_queue import queue_held


def _page() -> None:
    import streamlit as st

    from dsdcn import budget
    from ui.common import waiting_for_the_cpu

    @st.cache_data(show_spinner=False, max_entries=1)
    def heavy(n: int) -> int:
        with budget.reserve(1 << 20, wait=20):
            return n * 2

    with waiting_for_the_cpu():
        st.session_state["answer"] = heavy(21)
    st.write("done")


def test_a_request_that_queues_inside_a_cached_function_says_so_then_runs() -> None:
    told: list[int] = []
    real_on_wait = budget.on_wait

    def spy(callback):  # the page's callback, also recorded here
        return real_on_wait(lambda ahead: (told.append(ahead), callback(ahead)))

    # the other request ends soon after the page's joins the queue
    def end_once_the_page_waits(release: threading.Event) -> None:
        deadline = time.monotonic() + 25
        while budget.waiting() < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        release.set()

    with queue_held() as release:
        watcher = threading.Thread(target=end_once_the_page_waits, args=(release,))
        watcher.start()
        budget.on_wait = spy  # type: ignore[assignment]
        try:
            at = AppTest.from_function(_page, default_timeout=30).run()
        finally:
            budget.on_wait = real_on_wait  # type: ignore[assignment]
            release.set()
            watcher.join(30)
    assert not at.exception, at.exception
    assert at.session_state["answer"] == 42
    assert told[0] == 1 and told[-1] == 0  # one ahead, then its turn
    assert [m.value for m in at.markdown] == ["done"] and not at.info  # the notice is gone
    assert budget.reserved() == 0 and budget.waiting() == 0
