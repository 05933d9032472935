"""Benchmark of the traceability pages (not a test): requests/s and queries per request.

Builds (once) a SQLite database with the demo data, serves it with gunicorn on 127.0.0.1 only, and
drives the lot page, the product trace page and the GS1 resolver for a fixed time each. Queries per
request are counted in-process with Django's test client against the same database.

    .venv/bin/python bench/trace.py                 # 10 s per URL, 4 client threads
    .venv/bin/python bench/trace.py --seconds 5 --clients 8 --workers 2
    PAGE_CACHE_ENABLED=true .venv/bin/python bench/trace.py   # with cms.cache's page cache

Everything stays under /tmp/htx-bench (database, media, static files); nothing leaves the machine.
"""

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port  # noqa: E402

WORK = Path(os.environ.get("BENCH_DIR", "/tmp/htx-bench"))
PYTHON = sys.executable


def environment() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}",
        MEDIA_ROOT=str(WORK / "media"),
        STATIC_ROOT=str(WORK / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    WORK.mkdir(parents=True, exist_ok=True)
    print("Preparing the database (migrate, seed_demo --if-empty, collectstatic)…", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", "--if-empty", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


def targets() -> list[tuple[str, str, int]]:
    """(label, path, expected status), read from the seeded database."""
    from catalog.models import Lot

    lot = Lot.objects.select_related("product").get(code="DEMO-BGM01-A")
    gift = Lot.objects.select_related("product").get(code="DEMO-BGM06-A")
    gtin = lot.product.gtin
    return [
        (f"lot page ({lot.events.count()} events)", lot.get_absolute_url(), 200),
        (f"lot page with input lot ({gift.events.count()}+{lot.events.count()} events)", gift.get_absolute_url(), 200),
        ("product trace page", lot.product.get_trace_url(), 200),
        ("resolver /01/{gtin}/10/{lot}", f"/01/{gtin}/10/{lot.code}", 307),
        ("resolver ?linkType=linkset", f"/01/{gtin}/10/{lot.code}?linkType=linkset", 200),
        ("resolver /01/{gtin} (GTIN-13)", f"/01/{gtin[1:]}", 307),
        ("EPCIS export of a lot", f"/truy-xuat/lo/{lot.pk}/epcis.jsonld", 200),
    ]


def count_queries(paths) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for _label, path, _status in paths:
        client.get(path)  # first view makes thumbnails and renditions
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[path] = len(queries.captured_queries)
    return counts


def start_server(env, port, workers, threads):
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "shop.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--timeout",
        "30",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited early") from None
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not start within 60 s")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def load(port, path, expected, seconds, clients):
    """Hit one URL from `clients` threads with keep-alive for `seconds`; return latencies and errors."""
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != expected:
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.append(bad)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return latencies, sum(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="load time per URL (default 10)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    args = parser.parse_args()

    env = environment()
    prepare(env)
    os.environ.update(env)
    import django

    django.setup()
    paths = targets()
    queries = count_queries(paths)

    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    rows = []
    try:
        for label, path, expected in paths:
            load(port, path, expected, min(2, args.seconds), args.clients)  # warm every worker
            latencies, errors = load(port, path, expected, args.seconds, args.clients)
            rows.append((label, len(latencies) / args.seconds, latencies, errors, queries[path]))
    finally:
        stop_server(server)

    cache = "on" if env.get("PAGE_CACHE_ENABLED", "").lower() in {"1", "true", "yes", "on"} else "off"
    print(
        f"\ngunicorn {args.workers} workers × {args.threads} threads (gthread), {args.clients} client threads, "
        f"{args.seconds:g} s per URL, SQLite, page cache {cache}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine skews the figures)\n"
    )
    print(f"{'URL':58} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'queries':>8}")
    for label, rps, latencies, errors, n_queries in rows:
        p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
        p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) >= 20 else float("nan")
        print(f"{label:58} {rps:8.1f} {p50:8.1f} {p95:8.1f} {errors:7d} {n_queries:8d}")


if __name__ == "__main__":
    main()
