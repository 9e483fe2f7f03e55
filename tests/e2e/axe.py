"""axe-core in the page: WCAG 2.1 A and AA rules must report no violations."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Any) -> None:
    results = _AXE.run(page, options=WCAG)
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
