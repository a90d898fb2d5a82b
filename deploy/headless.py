"""How the browser tests and the load harness start headless Chromium (Debian's ``chromium`` package)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("DSDCN_CHROMIUM", "/usr/bin/chromium")
# headless, no sandbox (containers run as root), and nothing that reaches the internet on its own
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# the app's root element once the script has finished its run
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
