"""Browser journeys in real Chromium (the system's, not Playwright's download) with axe-core.

Without a browser the journeys are skipped with a loud message; CI sets
NORMALITET_REQUIRE_BROWSER=1, which turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NORMALITET_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_BROWSER = os.path.exists(CHROMIUM)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if HAVE_BROWSER:
        return
    message = f"NO BROWSER FOUND at {CHROMIUM}: browser journeys not run (apt-get install chromium)"
    if os.environ.get("NORMALITET_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(message)
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}
