"""Regenerate the README screenshots from the demo shop: docs/screenshots/{chat,console,analytics}.png.

    python scripts/screenshots.py [--shop data/demo_shop] [--out docs/screenshots] [--llm fake]

Starts ``shoptalk serve`` on a free loopback port with a throwaway ``SHOPTALK_HOME``, seeds a
few conversations through the HTTP API (so analytics has something to show), then drives the
system Chromium: a demo customer chats, asks for a person, an agent claims and replies, an
admin opens analytics. The PNGs are reduced to a 256-colour palette to keep the repo small.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import free_port  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AGENT, AGENT_PASSWORD = "alex", "agent-demo-pass"
ADMIN, ADMIN_PASSWORD = "sam", "admin-demo-pass"
SEED = [  # (questions, CSAT or None, ask for a person)
    (["Do you have waterproof hiking boots?", "which one is cheapest?"], 5, False),
    (["What is your return policy?"], 4, False),
    (["Do you sell kayaks?"], 2, False),
    (["I need a gift for a runner under $40"], None, False),
    (["My parcel arrived damaged and I want to speak to someone"], 4, True),
]


def start_server(shop: Path, llm: str, home: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "SHOPTALK_HOME": str(home),
        "SHOPTALK_LLM": llm,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "SHOPTALK_AGENT_USER": AGENT,
        "SHOPTALK_AGENT_PASSWORD": AGENT_PASSWORD,
        "SHOPTALK_ADMIN_USER": ADMIN,
        "SHOPTALK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    cmd = [
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "serve",
        "--demo",
        "--shop",
        str(shop),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"shoptalk serve exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"shoptalk serve did not start; see {log}")


def seed(base: str) -> None:
    """A few finished conversations, so the analytics page is not empty."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for questions, score, human in SEED:
            started = client.post("/api/conversations").raise_for_status().json()
            cid, auth = started["conversation_id"], {"Authorization": f"Bearer {started['token']}"}
            for text in questions:
                client.post(
                    f"/api/conversations/{cid}/messages",
                    params={"stream": "false"},
                    json={"text": text},
                    headers=auth,
                ).raise_for_status()
            if human:
                client.post(f"/api/conversations/{cid}/human", headers=auth).raise_for_status()
            if score is not None:
                if not human:
                    client.post(f"/api/conversations/{cid}/end", headers=auth).raise_for_status()
                client.post(
                    f"/api/conversations/{cid}/csat", json={"score": score}, headers=auth
                ).raise_for_status()


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option").filter(has_text=option).first.click()


def shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def capture(base: str, out: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        shopper = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        shopper.set_default_timeout(120_000)
        shopper.goto(base + "/")
        box = shopper.locator("#st-input textarea")
        expect(box).to_be_editable()
        choose(shopper, "#st-shopper", "Trail runner")
        expect(shopper.locator("#st-identity")).to_contain_text("Trail runner")
        name = shopper.locator("#st-identity").inner_text().split("as", 1)[1].split("·")[0].strip()
        expect(box).to_be_editable()
        box.fill("waterproof trail running shoes under $150")
        box.press("Enter")
        expect(shopper.locator("#st-cards .st-card").first).to_be_visible()
        if shopper.locator("#st-more").is_visible():
            shopper.locator("#st-more").click()
            expect(shopper.locator("#st-recs .st-card").first).to_be_visible()
        shopper.screenshot(path=str(out / "chat.png"))

        shopper.locator("#st-human").click()
        expect(shopper.locator("#st-notice")).to_contain_text("asked to join")
        agent = browser.new_context(viewport={"width": 1400, "height": 1150}).new_page()
        agent.set_default_timeout(120_000)
        agent.goto(base + "/console")
        agent.locator("#st-username input").fill(AGENT)
        agent.locator("#st-password input").fill(AGENT_PASSWORD)
        agent.locator("#st-login-button").click()
        expect(agent.locator("#st-queue")).to_contain_text(name)
        choose(agent, "#st-pick", name)
        expect(agent.locator("#st-transcript")).to_contain_text("waterproof trail running shoes")
        agent.locator("#st-claim").click()
        expect(agent.locator("#st-conv")).to_contain_text("status human")
        reply = "Hi! Alex here. The Ridge Runner GTX fits true to size; happy to check stock in your size."
        agent.locator("#st-reply textarea").fill(reply)
        agent.locator("#st-send-reply").click()
        expect(agent.locator("#st-transcript")).to_contain_text(reply)
        expect(shopper.locator("#st-chat")).to_contain_text(reply)
        agent.locator("#st-note textarea").fill("Regular trail runner; offered a size check.")
        agent.locator("#st-add-note").click()
        expect(agent.locator("#st-transcript")).to_contain_text("offered a size check")
        agent.screenshot(path=str(out / "console.png"), full_page=True)

        admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        admin.set_default_timeout(300_000)  # the forecast fits a model per category
        admin.goto(base + "/analytics")
        admin.locator("#st-username input").fill(ADMIN)
        admin.locator("#st-password input").fill(ADMIN_PASSWORD)
        admin.locator("#st-login-button").click()
        expect(admin.locator("#st-kpis")).to_contain_text("Deflection rate", timeout=300_000)
        admin.wait_for_timeout(1500)  # let the charts finish their draw animation
        admin.screenshot(path=str(out / "analytics.png"), full_page=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shop", type=Path, default=REPO / "data" / "demo_shop")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--llm", default="fake", help="SHOPTALK_LLM for the server (fake is quick)")
    parser.add_argument("--chromium", default=os.environ.get("SHOPTALK_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shoptalk-shots-") as tmp:
        proc, base = start_server(args.shop.resolve(), args.llm, Path(tmp), Path(tmp) / "server.log")
        try:
            seed(base)
            capture(base, args.out, args.chromium)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    for name in ("chat", "console", "analytics"):
        shrink(args.out / f"{name}.png")
        print(f"{args.out / f'{name}.png'}: {(args.out / f'{name}.png').stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
