"""Load test (not a test): the shop under gunicorn + PostgreSQL + Redis with production settings.

    make loadtest                     # = .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 16 --duration 60 --database loadtest --redis-db 10

What it does, all on 127.0.0.1 and bounded in time:

1. Prepares PostgreSQL database `--database` (created if missing): migrate, the demo data, 10,000
   more products (so the catalogue listing is measured at that size), stock large enough that no
   checkout fails for want of it, and production's collectstatic (hashed names, gzip + brotli).
2. Starts localstripe, one `db_worker` (emails and other tasks, as production queues them) and
   gunicorn with 2 × cores workers on `shop.settings.production` (DEBUG off, whitenoise, page
   cache and sessions in Redis database `--redis-db`), through bench/settings_production.py, which
   only lets cookies travel over plain HTTP on loopback.
3. Runs locust headless (bench/locustfile.py) with `--users` shoppers for `--duration` seconds:
   home, collection, product, listing, lot trace, resolver, search, add to basket, and checkouts
   by card (through localstripe) and cash on delivery. Prints requests/s, p50/p95/p99 and errors
   per route, then checks the orders in PostgreSQL against the checkouts that reached the
   thank-you page: none lost, none duplicated, one order per basket, one confirmation email each.
4. Measures the gunicorn workers' resident memory after the load.
5. Measures, with a small keep-alive client: a cached anonymous page against a static file of the
   same size served by the same gunicorn (identity and brotli), then, on a second gunicorn with
   the page cache off, the product page at 4 clients and the 10,000-product listing at 4 clients.

Results also go to var/loadtest/results.json.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
OUT = ROOT / "var" / "loadtest"
MAX_DURATION = 600
MEASURE_SECONDS = 15


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        REDIS_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        SESSION_REDIS_URL="",
        CACHE_KEY_PREFIX="loadtest",
        AWS_STORAGE_BUCKET_NAME="",
        SEARCH_URL="",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
    )
    return env


def production_env(args, **extra) -> dict:
    env = base_env(args)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_production",
        SECRET_KEY="loadtest-only-" + "s" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        TASKS_BACKEND="database",
        PAGE_CACHE_ENABLED="true",
        EMAIL_URL=f"filemail:///{OUT / 'outbox'}",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *command, capture=False):
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else None


def shell(env, code) -> str:
    return manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1]


def ensure_database(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


PREPARE = """
from django.db import connection
from oscar.core.loading import get_model
from tests.factories import bulk_create_products
Product = get_model("catalogue", "Product")
if not Product.objects.filter(upc__startswith="DEMO-BULK-").exists():
    bulk_create_products(10_000)
get_model("partner", "StockRecord").objects.update(num_in_stock=10_000_000, num_allocated=0)
from cms import search; search.rebuild()
print(Product.objects.count())
"""

PATHS = """
import json
from oscar.core.loading import get_model
from django.apps import apps
from shop.address import divisions
Product = get_model("catalogue", "Product")
Lot = apps.get_model("catalogue", "Lot")
demo = Product.objects.browsable().filter(is_public=True).exclude(upc__startswith="DEMO-BULK-").order_by("pk")
lots = Lot.objects.public().select_related("product").exclude(product__gtin="").order_by("pk")
province = next(p for p in divisions.provinces() if p.name == "Đồng Nai")
print(json.dumps({
  "products": [p.get_absolute_url() for p in demo],
  "buyable": [{"id": p.pk, "url": p.get_absolute_url()} for p in demo.filter(stockrecords__isnull=False).distinct()],
  "lots": [lot.get_absolute_url() for lot in lots],
  "digital_links": ["/" + lot.digital_link.split("://", 1)[1].split("/", 1)[1] for lot in lots[:10]],
  "collection": "/qua-tet/",
  "address": {"first_name": "Khách Thử Tải", "phone_number": "0912 345 678", "line1": "12 Đường Phú Riềng Đỏ",
              "line4": "Đồng Xoài", "postcode": "", "notes": "",
              "province_code": province.code, "ward_code": divisions.wards_of(province.code)[0].code},
}))
"""


def prepare(args):
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database)
    dev = base_env(args)
    dev.update(DJANGO_SETTINGS_MODULE="shop.settings.dev", DEBUG="false", TASKS_BACKEND="immediate")
    print("preparing: migrate, seed, 10,000 products, collectstatic …", flush=True)
    manage(dev, "migrate", "--noinput", "-v0")
    manage(dev, "seed_demo", "--if-empty")
    total = shell(dev, PREPARE)
    manage(production_env(args), "collectstatic", "--noinput", "-v0")
    paths = json.loads(shell(dev, PATHS))
    (OUT / "paths.json").write_text(json.dumps(paths, ensure_ascii=False))
    print(f"  {total} products, {len(paths['lots'])} public lots", flush=True)
    return paths


def start(command, env, log):
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


def gunicorn(env, port, workers, log):
    return start(
        [PYTHON, "-m", "gunicorn", "shop.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        + ["--timeout", "60", "--graceful-timeout", "5", "--max-requests", "0"],
        env,
        log,
    )


def wait_healthy(port, workers, process):
    deadline = time.monotonic() + 180
    ok = 0
    while ok < workers * 2:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn on {port} did not start; see {OUT}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/healthz")
            ok += conn.getresponse().status == 200
            conn.close()
        except OSError:
            time.sleep(0.3)


def stop(process):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss(master_pid):
    import psutil

    master = psutil.Process(master_pid)
    return [child.memory_info().rss / 2**20 for child in master.children()]


# A small keep-alive client for the single-URL measurements
# ------------------------------------------------------------------------------


def fetch(conn, path, headers):
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start, body, response


def hammer(port, paths, clients, seconds, headers):
    latencies, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            took, _, _ = fetch(conn, random.choice(paths), headers)
            with lock:
                latencies.append(took)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


# Phases
# ------------------------------------------------------------------------------


def run_locust(args, port, stripe_url):
    results = OUT / "checkouts.jsonl"
    results.unlink(missing_ok=True)
    env = dict(os.environ, LOAD_PATHS=str(OUT / "paths.json"), LOAD_RESULTS=str(results), LOAD_STRIPE_URL=stripe_url)
    command = [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["--host", f"http://127.0.0.1:{port}", "-u", str(args.users), "-r", str(args.users)]
    command += ["-t", f"{args.duration}s", "--stop-timeout", "30", "--csv", str(OUT / "locust"), "--only-summary"]
    command += ["--loglevel", "WARNING"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=args.duration + 120)
    (OUT / "locust.log").write_text(done.stdout + done.stderr)
    checkouts = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    return parse_locust_csv(OUT / "locust_stats.csv"), checkouts, done


def parse_locust_csv(path):
    import csv

    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "route": row["Name"] if row["Name"] != "Aggregated" else "ALL",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                }
            )
    return rows


INTEGRITY = """
import json
from django.db.models import Count
from oscar.core.loading import get_model
Order = get_model("order", "Order")
PaymentAttempt = get_model("payment", "PaymentAttempt")
numbers = json.loads(open({path!r}).read())
orders = Order.objects.filter(date_placed__gte={since!r})
print(json.dumps({{
  "orders_placed": orders.count(),
  "orders_by_method": dict(orders.values_list("payment_attempt__method").annotate(n=Count("pk"))),
  "baskets_with_two_orders": orders.values("basket_id").annotate(n=Count("pk")).filter(n__gt=1).count(),
  "duplicate_numbers": orders.values("number").annotate(n=Count("pk")).filter(n__gt=1).count(),
  "completed_without_order": len(set(numbers) - set(orders.values_list("number", flat=True))),
  "orders_without_completed_checkout": orders.exclude(number__in=numbers).count(),
  "attempts_stuck": PaymentAttempt.objects.filter(created__gte={since!r}, order__isnull=True,
                     state__in=["processing", "placed"]).count(),
}}))
"""


def integrity(args, checkouts, since):
    path = OUT / "numbers.json"
    path.write_text(json.dumps([c["order"] for c in checkouts]))
    env = production_env(args)
    report = json.loads(shell(env, INTEGRITY.format(path=str(path), since=since)))
    report["checkouts_completed"] = len(checkouts)
    report["duplicate_thank_you_numbers"] = len(checkouts) - len({c["order"] for c in checkouts})
    outbox = OUT / "outbox"
    report["confirmation_emails"] = len(list(outbox.iterdir())) if outbox.exists() else 0
    return report


def same_size_static(size):
    """A file of `size` bytes (HTML-like text) in STATIC_ROOT, so whitenoise serves it like any other."""
    folder = OUT / "static" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    words = "hạt điều rang muối bù gia mập đồng nai ocop hữu cơ vietgap ".encode()
    body = (words * (size // len(words) + 1))[:size]
    (folder / "same-size.html").write_bytes(body)
    return "/static/bench/same-size.html"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the locust run (at most 600)")
    parser.add_argument("--database", default="loadtest")
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the prepared database and static files")
    parser.add_argument("--prepare-only", action="store_true", help="prepare the database and static files, then stop")
    args = parser.parse_args()
    args.duration = min(args.duration, MAX_DURATION)

    if args.skip_prepare:
        paths = json.loads((OUT / "paths.json").read_text())
    else:
        paths = prepare(args)
    if args.prepare_only:
        return
    shutil.rmtree(OUT / "outbox", ignore_errors=True)
    (OUT / "outbox").mkdir(parents=True)

    import redis

    from shop.payment.localstripe_server import LocalStripe

    redis.Redis.from_url(f"redis://127.0.0.1:6379/{args.redis_db}").flushdb()
    stripe = LocalStripe.start()
    port, port_uncached = free_port(), free_port()
    webhook_secret = "whsec_loadtest" + "x" * 20
    stripe_env = {
        "STRIPE_SECRET_KEY": "sk_test_localstripe",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_localstripe",
        "STRIPE_API_BASE": stripe.url,
        "STRIPE_WEBHOOK_SECRET": webhook_secret,
    }
    stripe.register_webhook(f"http://127.0.0.1:{port}/payment/stripe/webhook/", webhook_secret)
    env = production_env(args, **stripe_env)
    server = worker = uncached = None
    results = {"users": args.users, "duration_s": args.duration, "workers": args.workers}
    try:
        # The cached page's size decides the static file's, which must exist before whitenoise starts.
        home_size = int(
            shell(
                env,
                "from django.test import Client; print(len(Client(HTTP_HOST='127.0.0.1').get('/').content))",
            )
        )
        static_path = same_size_static(home_size)
        server = gunicorn(env, port, args.workers, OUT / "gunicorn.log")
        worker = start([PYTHON, str(ROOT / "manage.py"), "db_worker", "--no-reload"], env, OUT / "worker.log")
        wait_healthy(port, args.workers, server)
        load_avg = os.getloadavg()
        since = shell(env, "from django.utils import timezone; print(timezone.now().isoformat())")
        print(f"locust: {args.users} users for {args.duration} s on {args.workers} workers (load {load_avg[0]:.1f}) …")
        rows, checkouts, locust = run_locust(args, port, stripe.url)
        time.sleep(5)  # let the worker send the last confirmations and the webhooks arrive
        results["locust"] = rows
        results["rss_mb_after_load"] = worker_rss(server.pid)
        results["integrity"] = integrity(args, checkouts, since)
        results["load_average_before"] = load_avg

        # Cached page vs a static file of the same size, same server.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _, _, first = fetch(conn, "/", {"Accept": "text/html"})
        conn.close()
        measures = {"page_bytes": home_size}
        for label, headers in (("identity", {}), ("br", {"Accept-Encoding": "br"})):
            measures[f"cached_home_{label}"] = hammer(port, ["/"], 8, MEASURE_SECONDS, headers)
            measures[f"static_same_size_{label}"] = hammer(port, [static_path], 8, MEASURE_SECONDS, headers)
        results["cached_vs_static"] = measures

        # Uncached pages at 4 clients, on a gunicorn of their own with the page cache off.
        uncached = gunicorn(
            production_env(args, PAGE_CACHE_ENABLED="false", **stripe_env),
            port_uncached,
            args.workers,
            OUT / "gunicorn-uncached.log",
        )
        wait_healthy(port_uncached, args.workers, uncached)
        for path in paths["products"] + [
            "/shop/catalogue/",
            "/shop/catalogue/?page=200",
            "/shop/catalogue/?sort=price-asc",
        ]:
            hammer(port_uncached, [path], 1, 0.5, {})  # warm each worker's caches once
        results["uncached"] = {
            "product_4_clients": hammer(
                port_uncached, paths["products"], 4, MEASURE_SECONDS, {"Accept-Encoding": "br"}
            ),
            "listing_10000_4_clients": hammer(
                port_uncached,
                ["/shop/catalogue/", "/shop/catalogue/?page=200", "/shop/catalogue/?sort=price-asc"],
                4,
                MEASURE_SECONDS,
                {"Accept-Encoding": "br"},
            ),
        }
        results["load_average_after"] = os.getloadavg()
    finally:
        stop(uncached)
        stop(server)
        stop(worker)
        stripe.stop()
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report(results, locust)


def report(results, locust):
    print(f"\nlocust, {results['users']} users × {results['duration_s']} s, gunicorn {results['workers']} workers")
    print(f"{'route':<34} {'reqs':>6} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in results["locust"]:
        print(
            f"{row['route'][:34]:<34} {row['requests']:>6} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f} {row['p99_ms']:>6.0f}"
        )
    print("\norders:", json.dumps(results["integrity"], ensure_ascii=False))
    rss = results["rss_mb_after_load"]
    print(f"gunicorn worker RSS after the load: {', '.join(f'{r:.0f}' for r in rss)} MB (max {max(rss):.0f})")
    m = results["cached_vs_static"]
    for label in ("identity", "br"):
        page, static = m[f"cached_home_{label}"], m[f"static_same_size_{label}"]
        print(
            f"cached home ({m['page_bytes']} B, {label}): {page['rps']:.0f} req/s, p95 {page['p95_ms']:.1f} ms; "
            f"static file same size: {static['rps']:.0f} req/s, p95 {static['p95_ms']:.1f} ms; "
            f"ratio {page['rps'] / static['rps']:.2f}"
        )
    for name, row in results["uncached"].items():
        print(f"uncached {name}: {row['rps']:.1f} req/s, p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms")
    print(f"load average before {results['load_average_before'][0]:.1f}, after {results['load_average_after'][0]:.1f}")
    problems = [
        key
        for key in (
            "baskets_with_two_orders",
            "duplicate_numbers",
            "completed_without_order",
            "duplicate_thank_you_numbers",
        )
        if results["integrity"][key]
    ]
    if results["integrity"]["orders_placed"] != results["integrity"]["checkouts_completed"]:
        problems.append("orders_placed != checkouts_completed")
    if problems:
        print("INTEGRITY PROBLEMS:", ", ".join(problems))
        sys.exit(1)
    if locust.returncode not in (0, 1):
        print(locust.stderr[-2000:])
        sys.exit(locust.returncode)


if __name__ == "__main__":
    main()
