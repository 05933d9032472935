#!/usr/bin/env bash
# Lighthouse (mobile preset) on the home, product and lot pages: prints the four scores and the
# bytes transferred per page (bench/lighthouse.py). Installs Lighthouse 13 from the npm registry
# into var/lighthouse once (never committed) and drives Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
LH_DIR=var/lighthouse
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$LH_DIR"
    (cd "$LH_DIR" && npm install --no-audit --no-fund --silent -E lighthouse@13)
fi
if [ ! -f var/loadtest/paths.json ]; then
    echo "Prepare the database first: .venv/bin/python bench/load.py (or make loadtest)" >&2
    exit 2
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
exec .venv/bin/python bench/lighthouse.py --lighthouse "$LH_DIR/node_modules/.bin/lighthouse" "$@"
