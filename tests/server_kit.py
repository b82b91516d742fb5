"""A real ``shoptalk serve`` process on a free loopback port, for tests that need one.

The server gets its own ``SHOPTALK_HOME`` and only the environment the test names (plus the
offline switches), so nothing from the developer's shell leaks in. ``Server.stop`` terminates
it; its log is kept next to the home for the failure message.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

STARTUP_S = 300  # cold start on 2 CPU cores: embedder, index, intent classifier
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "GRADIO_ANALYTICS_ENABLED": "False"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


@dataclass
class Server:
    base: str
    home: Path
    log: Path
    proc: subprocess.Popen

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)


def start_server(home: Path, shop: Path, env: dict[str, str], *args: str) -> Server:
    """Start ``shoptalk serve --shop SHOP ARGS`` and return once /healthz answers (or raise)."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOPTALK_")}
    full = {**clean, **OFFLINE, "SHOPTALK_HOME": str(home), **env}
    log = home / "server.log"
    cmd = [sys.executable, "-c", "from bot.cli import main; main()", "serve", "--shop", str(shop),
           "--host", "127.0.0.1", "--port", str(port), *args]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=full, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", home, log, proc)
    deadline = time.monotonic() + STARTUP_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"shoptalk serve exited with {proc.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"shoptalk serve did not answer /healthz within {STARTUP_S}s:\n{tail(log)}")
        time.sleep(0.5)  # the port is not open yet: nothing to wait on instead
