"""Lighthouse (mobile preset) on the home, product and lot pages, served by gunicorn with production settings.

    bash bench/lighthouse.sh          # installs Lighthouse into var/lighthouse once, then runs this
    .venv/bin/python bench/lighthouse.py --lighthouse var/lighthouse/node_modules/.bin/lighthouse

Uses the database that bench/load.py prepared (PostgreSQL `loadtest` with the demo, Redis database 10;
run `make loadtest` or `bench/load.py` once first), Debian's /usr/bin/chromium (never a downloaded
browser), loopback only. Prints the four scores and the bytes transferred per page, and what kept a
score under 100; the JSON reports stay in var/loadtest/lighthouse/.
"""

import argparse
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import OUT, free_port, gunicorn, production_env, stop, wait_healthy  # noqa: E402

CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def audit(lighthouse, url, name, out):
    report = out / f"{name}.json"
    command = [lighthouse, url, "--output=json", f"--output-path={report}", "--quiet"]
    command += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    for attempt in range(3):  # Chromium on a busy machine sometimes loses the trace (NO_NAVSTART)
        if subprocess.run(command, env=env, timeout=300).returncode == 0:
            break
        print(f"{name}: Lighthouse failed (attempt {attempt + 1}), trying again", file=sys.stderr)
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url}")
    data = json.loads(report.read_text())
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    transfer = data["audits"]["total-byte-weight"]["numericValue"]
    failing = []
    for category in CATEGORIES:
        for ref in data["categories"][category]["auditRefs"]:
            result = data["audits"][ref["id"]]
            if ref["weight"] and result["score"] is not None and result["score"] < 1:
                failing.append(f"{category}: {ref['id']} ({result['score']:.2f})")
    metrics = {
        m: data["audits"][m]["displayValue"]
        for m in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    return scores, transfer, failing, metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lighthouse", default=str(ROOT / "var" / "lighthouse" / "node_modules" / ".bin" / "lighthouse")
    )
    parser.add_argument("--database", default="loadtest")
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    paths = json.loads((OUT / "paths.json").read_text())
    out = OUT / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # TASKS_BACKEND=immediate: no worker here, and a first visit may make a rendition in the request.
    env = production_env(args, TASKS_BACKEND="immediate")
    server = gunicorn(env, port, args.workers, OUT / "gunicorn-lighthouse.log")
    pages = {"home": "/", "product": paths["products"][0], "lot": paths["lots"][0]}
    rows = []
    try:
        wait_healthy(port, args.workers, server)
        for name, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            # The server has seen the page before (as in a shop that is open); the browser has not.
            urllib.request.urlopen(url, timeout=120).read()
            scores, transfer, failing, metrics = audit(args.lighthouse, url, name, out)
            rows.append((name, path, scores, transfer, failing, metrics))
    finally:
        stop(server)
    print(f"{'page':<8} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'transfer':>10}  path")
    for name, path, scores, transfer, _failing, _metrics in rows:
        print(
            f"{name:<8} {scores['performance']:>5} {scores['accessibility']:>5} {scores['best-practices']:>5} "
            f"{scores['seo']:>5} {transfer / 1024:>8.1f} kB  {path}"
        )
    for name, _path, _scores, _transfer, failing, metrics in rows:
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
        for line in failing:
            print(f"  {name}: {line}")


if __name__ == "__main__":
    main()
