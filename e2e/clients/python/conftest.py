"""Starts the real `woolly serve` binary for the Mastodon.py tests.

The binary comes from WOOLLY_BIN; DATABASE_URL (a fresh PostgreSQL database made by
run.sh) switches the server to PostgreSQL, otherwise it uses SQLite in a temp dir.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Woolly:
    def __init__(self, binary, data_dir, port, database_url):
        self.binary = binary
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = dict(os.environ)
        for key in ("DATABASE_URL", "WOOLLY_DATABASE_URL", "WOOLLY_CONFIG"):
            self.env.pop(key, None)
        self.env.update(
            WOOLLY_DATA_DIR=data_dir,
            WOOLLY_LISTEN=f"127.0.0.1:{port}",
            WOOLLY_DOMAIN=f"127.0.0.1:{port}",
            WOOLLY_SCHEME="http",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.log = open(os.path.join(data_dir, "server.log"), "wb")
        self.process = subprocess.Popen(
            [binary, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_until_up(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"woolly serve exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.base}/api/v1/instance", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("woolly serve did not answer within 30 s")

    def admin(self, *args):
        """Runs `woolly admin …` against the same data dir / database as the server."""
        done = subprocess.run(
            [self.binary, "admin", *args], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"woolly admin {args}: {done.stdout}{done.stderr}"
        return done.stdout

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def woolly(request):
    binary = os.environ.get("WOOLLY_BIN", "target/debug/woolly")
    data_dir = tempfile.mkdtemp(prefix="woolly-mastodon-py-")
    server = Woolly(os.path.abspath(binary), data_dir, _free_port(), os.environ.get("DATABASE_URL"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()
        if request.session.testsfailed:
            # The server's side of a failure, shown with pytest's report (-rA / on failure).
            with open(os.path.join(data_dir, "server.log"), "rb") as log:
                print("--- woolly serve log (tail) ---")
                print(log.read().decode(errors="replace")[-6000:])
        shutil.rmtree(data_dir, ignore_errors=True)
