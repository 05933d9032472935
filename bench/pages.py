"""Benchmark (not a test): home, collection and product pages under gunicorn, uncached and cached.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/pages.py [--requests 300] [--concurrency 8]

Runs on the demo data (it seeds the database given by DATABASE_URL if it has no products), starts
gunicorn on a free loopback port twice, once with the page cache off and once on, and prints
requests per second and latency percentiles per page. Everything stays on 127.0.0.1; request
counts and run time are bounded.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port, percentile, stop, wait_healthy  # noqa: E402

PYTHON = sys.executable
MAX_REQUESTS = 5000
MAX_SECONDS = 120


def environment(page_cache: bool) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'db.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.dev",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        PAGE_CACHE_ENABLED="true" if page_cache else "false",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(env) -> str:
    """Migrate, seed if empty, collect static; return a product page path."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo", "--if-empty"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    code = (
        "from oscar.core.loading import get_model;"
        "print(get_model('catalogue','Product').objects.browsable().order_by('pk').first().get_absolute_url())"
    )
    out = subprocess.run([*manage, "shell", "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def get(conn, path):
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "text/html"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start, response.getheader("X-Page-Cache")


def load(port, path, requests, concurrency):
    """Fire `requests` GETs over `concurrency` keep-alive connections; return (req/s, latencies, hits)."""
    latencies, hits, lock = [], [0], threading.Lock()
    per_worker = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]
    deadline = time.monotonic() + MAX_SECONDS

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(n):
            if time.monotonic() > deadline:
                break
            seconds, cache = get(conn, path)
            with lock:
                latencies.append(seconds)
                hits[0] += cache == "hit"
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in per_worker]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies, hits[0]


def run(label, env, pages, args):
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "shop.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--graceful-timeout",
            "3",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port, args.workers, server)
        rows = []
        for name, path in pages:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            first, _ = get(conn, path)  # first request of this page on a fresh server: nothing cached
            conn.close()
            rps, latencies, hits = load(port, path, args.requests, args.concurrency)
            rows.append(
                (
                    label,
                    name,
                    first * 1000,
                    rps,
                    statistics.median(latencies) * 1000,
                    percentile(latencies, 95) * 1000,
                    hits,
                    len(latencies),
                )
            )
        return rows
    finally:
        stop(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page and mode")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    args.requests = min(args.requests, MAX_REQUESTS)

    product = prepare(environment(page_cache=False))
    pages = [("home", "/"), ("collection", "/qua-tet/"), ("product", product)]
    rows = run("uncached", environment(page_cache=False), pages, args)
    rows += run("cached", environment(page_cache=True), pages, args)
    print(f"gunicorn {args.workers} workers, {args.requests} requests x {args.concurrency} connections per row")
    print(f"{'mode':<9} {'page':<11} {'first ms':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
    for mode, name, first, rps, p50, p95, hits, n in rows:
        print(f"{mode:<9} {name:<11} {first:>9.1f} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} {hits:>3}/{n}")


if __name__ == "__main__":
    main()
