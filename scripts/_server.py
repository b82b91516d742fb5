"""Start and stop a real ``shoptalk serve --api-only`` process on a free loopback port (for the
load and fault scripts). The server runs in its own session so ``kill(-9)`` hits it alone."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def capacity_env() -> dict[str, str]:
    """Settings that lift the per-address abuse limits: a load or fault test drives many shoppers
    from one loopback address, which is exactly what those limits are there to stop."""
    from bot.safety import RATE_ENV

    return {**{name: "0/60" for name in RATE_ENV.values()}, "SHOPTALK_TURN_QUEUE": "10000"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, env: dict[str, str], *, log_path: Path, port: int | None = None):
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.startup_s = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 900.0) -> str:
        cmd = [
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "serve",
            "--api-only",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        log = open(self.log_path, "ab")  # noqa: SIM115  (kept open for the child's lifetime)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    self.startup_s = time.perf_counter() - t0
                    return self.base_url
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"server not healthy after {timeout:.0f}s; see {self.log_path}")

    def kill9(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing: what a crash or an OOM kill does."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()
