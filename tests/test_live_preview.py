"""A real sphinx-autobuild process serves the example site and follows edits, then rests."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "example_site"
AUTOBUILD = shutil.which("sphinx-autobuild", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
        # not served yet, or read while the rebuild rewrites it (IncompleteRead): not ready
        return ""


def wait_for(predicate: Callable[[], bool], timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


class Server:
    def __init__(self, src: Path, out: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.out = out
        self._log_file = log.open("w")
        assert AUTOBUILD is not None
        self.process = subprocess.Popen(
            [AUTOBUILD, "--host", "127.0.0.1", "--port", str(self.port), "-q",
             str(src), str(out)],
            stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def get(self, path: str) -> str:
        return fetch(f"{self.base}/{path}")

    def builds(self) -> int:
        return self.log.read_text().count("Detected change")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self._log_file.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    if AUTOBUILD is None:
        pytest.fail("sphinx-autobuild is not installed in this environment")
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    srv = Server(src, tmp_path / "out", tmp_path / "autobuild.log")
    try:
        if not wait_for(lambda: "Engineering Notes" in srv.get("blog/index.html"), 180):
            pytest.fail("sphinx-autobuild did not serve the site:\n" + srv.log.read_text())
        yield srv
    finally:
        srv.stop()


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file()}


def test_live_preview_follows_edits_then_rests(server: Server, tmp_path: Path) -> None:
    src = tmp_path / "src"
    post = src / "blog/posts/building-resilient-systems-with-mlops-and-pulumi.md"
    page = "blog/posts/building-resilient-systems-with-mlops-and-pulumi.html"
    source_before = snapshot(src)

    text = post.read_text()
    post.write_text(text.replace("# Building Resilient Systems with MLOps and Pulumi",
                                 "# Resilient Systems, Retitled Live", 1))
    assert wait_for(lambda: "Resilient Systems, Retitled Live" in server.get(page)), \
        server.log.read_text()
    assert wait_for(lambda: "Resilient Systems, Retitled Live" in server.get("blog/index.html"))
    assert "Resilient Systems, Retitled Live" in server.get("blog/category/tutorials.html")

    post.write_text(post.read_text().replace("category: Tutorials", "category: Field Notes", 1))
    assert wait_for(lambda: "Resilient Systems, Retitled Live"
                    in server.get("blog/category/field-notes.html")), server.log.read_text()
    assert wait_for(lambda: "Resilient Systems, Retitled Live"
                    not in server.get("blog/category/tutorials.html"))
    assert "Field Notes" in server.get(page)

    # let the last rebuild settle, then nothing more happens for 15 s
    time.sleep(3)
    builds = server.builds()
    assert builds >= 2, server.log.read_text()  # the two edits were seen as changes
    outputs = snapshot(server.out)
    time.sleep(15)
    assert server.builds() == builds, server.log.read_text()
    assert snapshot(server.out) == outputs
    # nothing was written into the source tree but the two edits
    after = snapshot(src)
    assert set(after) == set(source_before)
    assert [p for p in after if after[p] != source_before[p]] == [str(post.relative_to(src))]
