"""axe-core in the page: WCAG 2.1 A and AA rules must report no violations."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

_AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


# What the browser says when axe starts while a click's navigation replaces the document.
_NAVIGATING = ("documentElement", "Execution context was destroyed", "navigation")


def _run(page: Any) -> Any:
    """Run axe on the page once it has loaded.

    A click that navigates returns before the new document exists; axe started in that gap
    finds no document. The check then waits for the new page and runs again: it never passes
    a page it has not read.
    """
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return _AXE.run(page, options=WCAG)
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _NAVIGATING):
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def assert_accessible(page: Any) -> None:
    results = _run(page)
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5]
        )
        for v in violations
    ]
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(details)


def login(page: Any, live_server: Any, username: str, password: str = "demo-password-1") -> None:
    """Sign in as ``username`` afresh: the cookies of whoever was signed in go first."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/auth/login/")
    assert_accessible(page)
    page.get_by_label("Brukernavn").fill(username) if page.locator("html[lang=nb]").count() else (
        page.get_by_label("Username").fill(username)
    )
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
