"""localstripe, the fake Stripe server, run safely: loopback only, a chosen or random port, private state.

`localstripe --port N` binds every interface and keeps its state in a fixed pickle in /tmp that any
local user can read or replace. This wrapper binds 127.0.0.1, keeps state in memory or in a file only
its owner can read, and prints the URL it listens on, so a parent process can start it on port 0:

    python -m shop.payment.localstripe_server --port 0 [--state-file var/localstripe/state.pickle]

`LocalStripe.start()` does that from Python (used by `rundemo` and the test suite).
"""

import argparse
import os
import pickle
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

READY_PREFIX = "localstripe listening on "


def _private_store(state_file):
    """Point localstripe's store at `state_file` (0600) or keep it in memory when None."""
    from localstripe.resources import Store

    if state_file is None:
        Store.dump_to_disk = lambda self: None
        Store.try_load_from_disk = lambda self: None
        return
    path = Path(state_file)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)

    def dump_to_disk(self):
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def try_load_from_disk(self):
        try:
            with open(path, "rb") as f:
                old = pickle.load(f)  # our own 0600 file, written by dump_to_disk above
        except FileNotFoundError:
            return
        self.clear()
        self.update(old)

    Store.dump_to_disk = dump_to_disk
    Store.try_load_from_disk = try_load_from_disk


def _exit_with_parent(parent_pid):
    """Stop when the process that started us is gone, so a killed test run leaves no server behind."""
    import threading

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def serve(port=0, state_file=None, parent_pid=None):
    """Run localstripe on 127.0.0.1:`port` (0 = any free port) until killed."""
    if parent_pid:
        _exit_with_parent(parent_pid)
    _private_store(state_file)
    from aiohttp import web
    from localstripe.resources import store
    from localstripe.server import app

    store.try_load_from_disk()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    print(f"{READY_PREFIX}http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    web.run_app(app, sock=sock, print=None, access_log=None, handle_signals=True)


class LocalStripe:
    """A localstripe child process on loopback; `url` is its API base (and Stripe.js host)."""

    def __init__(self, process, url):
        self.process = process
        self.url = url

    @classmethod
    def start(cls, port=0, state_file=None, timeout=20):
        command = [sys.executable, "-m", "shop.payment.localstripe_server", "--port", str(port)]
        command += ["--parent-pid", str(os.getpid())]
        if state_file:
            command += ["--state-file", str(state_file)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = process.stdout.readline().strip()
        if not line.startswith(READY_PREFIX):
            process.kill()
            raise RuntimeError(f"localstripe did not start: {line!r}")
        server = cls(process, line[len(READY_PREFIX) :])
        server._wait_until_ready(timeout)
        return server

    def _wait_until_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + "/js.stripe.com/v3/", timeout=2).close()
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("localstripe did not answer") from None
                time.sleep(0.1)

    def _post(self, path, data=None, method="POST"):
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def register_webhook(
        self, url, secret, name="shop", events=("payment_intent.succeeded", "payment_intent.payment_failed")
    ):
        """Ask localstripe to POST signed events to `url` (about a second after each one)."""
        self._post(f"/_config/webhooks/{name}", {"url": url, "secret": secret, "events[]": list(events)})

    def reset(self):
        """Forget every object (intents, refunds, tokens)."""
        self._post("/_config/data", method="DELETE")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description="localstripe on 127.0.0.1 with private state")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on start)")
    parser.add_argument("--state-file", default=None, help="keep state here (mode 0600); default: memory only")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone")
    args = parser.parse_args(argv)
    serve(args.port, args.state_file, args.parent_pid)


if __name__ == "__main__":
    main()
