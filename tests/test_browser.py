"""The real thing in a real browser: ``shoptalk serve --demo`` on loopback, driven by headless Chromium.

A shopper picks a demo customer, chats and gets product cards, asks for a person; an agent
logs into ``/console`` in a second browser context, claims the conversation and replies; the
reply reaches the shopper's page live, as plain text even where it looks like HTML or a link.
Nothing of it is left in the browser's storage (no run history, no staff session), and each
staff page needs its own login. Screenshots of every step go to ``test-artifacts/`` (kept by CI).

Runs against the mini shop with the fake model (``SHOPTALK_LLM=fake``: the bundled model is
tested elsewhere) and its own ``SHOPTALK_HOME``, in demo mode for the customer selector (the
page without it is tested in-process, in test_app_security.py). Waits are on visible text
with generous timeouts, never on sleeps: the first request builds indexes and trains the
intent model.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from conftest import MINI_SHOP, REPO
from server_kit import start_server

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("SHOPTALK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO / "test-artifacts"
STEP_MS = 60_000
AGENT, AGENT_PASSWORD = "alex", "agent-pass-123"
ADMIN, ADMIN_PASSWORD = "root", "admin-pass-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``shoptalk serve`` in a subprocess; yields its base URL once /healthz answers."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install it (apt-get install -y chromium) "
            "or set SHOPTALK_CHROMIUM"
        )
    pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "SHOPTALK_LLM": "fake",
        "SHOPTALK_AGENT_USER": AGENT,
        "SHOPTALK_AGENT_PASSWORD": AGENT_PASSWORD,
        "SHOPTALK_ADMIN_USER": ADMIN,
        "SHOPTALK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    try:
        server = start_server(
            tmp_path_factory.mktemp("browser_home"), MINI_SHOP, env, "--demo", log=ARTIFACTS / "server.log"
        )  # kept by CI
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server.base
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_MS)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Shots:
    """Numbered screenshots of each step; on failure, one of every open page."""

    def __init__(self, prefix: str):
        self.prefix, self.n, self.pages = prefix, 0, {}

    def page(self, name: str, page):
        self.pages[name] = page
        page.set_default_timeout(STEP_MS)
        return page

    def __call__(self, page, step: str) -> None:
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.n:02d}-{step}.png"), full_page=True)

    def failure(self) -> None:
        for name, page in self.pages.items():
            with contextlib.suppress(Exception):  # the page may be gone; the others still matter
                page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-failed-{name}.png"), full_page=True)


def _stored_keys(page) -> list[str]:
    """Every localStorage and sessionStorage key of the page's origin."""
    return page.evaluate("() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]")


def _assert_nothing_stored(page) -> None:
    keys = _stored_keys(page)
    assert not [k for k in keys if "run-history" in k or "shoptalk" in k.lower() or "staff" in k.lower()], (
        keys
    )


def _login(page, username: str, password: str) -> None:
    page.locator("#st-username input").fill(username)
    page.locator("#st-password input").fill(password)
    page.locator("#st-login-button").click()


def _choose(page, dropdown: str, option: str) -> None:
    """Pick an option of a Gradio dropdown by its visible text."""
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option").filter(has_text=option).first.click()


def test_shopper_gets_cards_asks_for_a_person_and_receives_the_agents_reply(server, browser):
    from playwright.sync_api import expect

    shots = Shots("handoff")
    try:
        shopper = shots.page(
            "shopper", browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        )
        shopper.goto(server + "/")
        box = shopper.locator("#st-input textarea")
        expect(box).to_be_editable()  # the page's conversation exists
        _choose(shopper, "#st-shopper", "Ana Trail")  # a demo customer: switching starts a new conversation
        expect(shopper.locator("#st-identity")).to_contain_text("Ana Trail")
        expect(box).to_be_editable()
        box.fill("waterproof trail running shoes")
        box.press("Enter")
        card = shopper.locator("#st-cards .st-card").filter(has_text="Ridge Runner GTX Trail Shoe")
        expect(card).to_be_visible()
        expect(card).to_contain_text("$89.99")
        expect(shopper.locator("#st-chat")).to_contain_text("Ridge Runner GTX Trail Shoe")
        shots(shopper, "shopper-product-cards")

        shopper.locator("#st-human").click()
        expect(shopper.locator("#st-notice")).to_contain_text("asked to join")
        expect(shopper.locator("#st-chat")).to_contain_text("in the queue")
        shots(shopper, "shopper-waiting")

        agent = shots.page("agent", browser.new_context(viewport={"width": 1400, "height": 1000}).new_page())
        agent.goto(server + "/console")
        _login(agent, AGENT, AGENT_PASSWORD)
        expect(agent.locator("#st-who")).to_contain_text(AGENT)
        expect(agent.locator("#st-queue")).to_contain_text("Ana Trail")  # the live queue (timer refresh)
        shots(agent, "agent-queue")

        _choose(agent, "#st-pick", "Ana Trail")
        transcript = agent.locator("#st-transcript")
        expect(transcript).to_contain_text("waterproof trail running shoes")
        expect(transcript).to_contain_text("product:S1")  # the bot's sources are shown to staff
        expect(agent.locator("#st-profile")).to_contain_text("Ana Trail")
        expect(agent.locator("#st-orders")).to_contain_text("O1")
        agent.locator("#st-claim").click()
        expect(agent.locator("#st-conv")).to_contain_text("status human")
        expect(shopper.locator("#st-notice")).to_contain_text(f"chatting with {AGENT}")
        shots(agent, "agent-claimed")

        # Staff text is plain text for the shopper: markup, links and images show as typed.
        reply = (
            "Hi Ana, Alex here: the GTX runs true to size. <b>Verify</b> your card at "
            "[our portal](https://evil.example/login) or https://evil.example/x ![](https://evil.example/p.png)"
        )
        agent.locator("#st-reply textarea").fill(reply)
        agent.locator("#st-send-reply").click()
        expect(transcript).to_contain_text("Alex here: the GTX runs true to size.")
        shots(agent, "agent-replied")

        chat = shopper.locator("#st-chat")
        expect(chat).to_contain_text(reply)  # polled by the shopper's page; every character as typed
        assert chat.locator("a[href*='evil'], img[src*='evil'], form, b").count() == 0
        shots(shopper, "shopper-received-reply")
        _assert_nothing_stored(shopper)
        _assert_nothing_stored(agent)
    except Exception:
        shots.failure()
        raise


def test_staff_login_errors_and_admin_analytics(server, browser):
    from playwright.sync_api import expect

    shots = Shots("staff")
    try:
        page = shots.page("admin", browser.new_context(viewport={"width": 1400, "height": 1000}).new_page())
        page.goto(server + "/console")
        _login(page, AGENT, "not-the-password")
        expect(page.locator("#st-login-message")).to_contain_text("Wrong username or password")
        shots(page, "login-refused")

        page.goto(server + "/analytics")
        _login(page, ADMIN, ADMIN_PASSWORD)
        expect(page.locator("#st-kpis")).to_contain_text(
            "Deflection rate", timeout=180_000
        )  # forecast: CPU work
        shots(page, "analytics")
        _assert_nothing_stored(page)  # no run history with the password in it, no session token

        # The session lives in this tab's server-side state: another page, or a reload, logs in again.
        page.goto(server + "/console")
        expect(page.locator("#st-login-button")).to_be_visible()
        _login(page, ADMIN, ADMIN_PASSWORD)
        expect(page.locator("#st-who")).to_contain_text(ADMIN)
        page.reload()
        expect(page.locator("#st-login-button")).to_be_visible()
        expect(page.locator("#st-desk")).to_be_hidden()
        shots(page, "console-asks-again")
        _assert_nothing_stored(page)
    except Exception:
        shots.failure()
        raise
