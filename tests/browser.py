"""Headless Chromium for the tests that look at pages as a person would (Debian's chromium package:
`make test-browser` installs it, and CI does). Without it those tests are skipped, saying why."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="Chromium is not installed: `make test-browser` installs Debian's chromium package"
)


def render(url: str, screenshot: Path | None = None, size: str = "1280,2400", budget_ms: int = 20000) -> str:
    """The DOM after the page (and its scripts) ran; optionally a PNG screenshot too."""
    with tempfile.TemporaryDirectory() as profile:
        base = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                f"--virtual-time-budget={budget_ms}"]
        dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=180).stdout
        if screenshot is not None:
            subprocess.run([*base, f"--screenshot={screenshot}", url], capture_output=True, timeout=180, check=True)
    return dom


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
