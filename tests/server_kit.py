"""Servers on free loopback ports, for tests that need one; the one place tests get a port.

* ``start_server``: a real ``shoptalk serve`` process. It gets its own ``SHOPTALK_HOME`` and
  only the environment the test names (plus the offline switches), so nothing from the
  developer's shell leaks in. ``Server.stop`` terminates it; its log is kept next to the home
  (or where the test asks) for the failure message.
* ``serve_app``: an ASGI app (a FastAPI fake of some other server) run by uvicorn in a thread
  of the test process, for as long as a ``with`` block.
* ``wait_until_healthy``: poll a URL until it answers 200, for any server process a test starts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

STARTUP_S = 300  # cold start on 2 CPU cores: embedder, index, intent classifier
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path | None, lines: int = 40) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until_healthy(
    url: str,
    timeout_s: float,
    *,
    proc: subprocess.Popen | None = None,
    log: Path | None = None,
    what: str = "the server",
    interval_s: float = 0.5,
) -> None:
    """Return once GET ``url`` answers 200. Raise ``RuntimeError`` (with the log's tail) if
    ``proc`` exits first or ``timeout_s`` passes; the caller stops the process."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url} within {timeout_s:.0f}s:\n{tail(log)}")
        time.sleep(interval_s)  # the port is not open yet: nothing to wait on instead


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


def start_server(home: Path, shop: Path, env: dict[str, str], *args: str, log: Path | None = None) -> Server:
    """Start ``shoptalk serve --shop SHOP ARGS`` and return once /healthz answers (or raise).

    Its output goes to ``log`` (default: ``server.log`` in ``home``)."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOPTALK_")}
    full = {**clean, **OFFLINE, "SHOPTALK_HOME": str(home), **env}
    log = log or home / "server.log"
    cmd = [
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "serve",
        "--shop",
        str(shop),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *args,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=full, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", home, log, proc)
    try:
        wait_until_healthy(server.base + "/healthz", STARTUP_S, proc=proc, log=log, what="shoptalk serve")
    except RuntimeError:
        server.stop()
        raise
    return server


@contextmanager
def serve_app(app, *, startup_s: float = 10.0) -> Iterator[str]:
    """Serve an ASGI ``app`` with uvicorn in a daemon thread on a free loopback port; yields the
    base URL (``http://127.0.0.1:PORT``) once it listens, and shuts the server down on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_s
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on port {port} within {startup_s:.0f}s")
            time.sleep(0.02)  # uvicorn sets a flag, no event to wait on
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
