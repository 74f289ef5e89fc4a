#!/usr/bin/env bash
# Headless Chromium for the browser tests (tests/test_browser.py): Debian's `chromium` package,
# driven by Playwright's Python package through executable_path=/usr/bin/chromium. Playwright's
# own browser download (`playwright install`) is never used: the tests run offline.
#
#   scripts/browser_setup.sh          # installs chromium if /usr/bin/chromium is missing
#
# Idempotent: does nothing when /usr/bin/chromium is already there.
# Exit codes: 0 ok (prints the browser path), 3 missing and cannot be installed here (no
# apt-get or not root), 4 apt-get failed.
set -euo pipefail

BROWSER=${CLAIMGRAPH_CHROMIUM:-/usr/bin/chromium}

say() { echo "browser_setup: $*" >&2; }

if [[ -x "$BROWSER" ]]; then
    echo "$BROWSER"
    exit 0
fi

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    say "$BROWSER is not installed and cannot be installed here (needs root and apt-get);" \
        "install Debian's chromium package, e.g. 'sudo apt-get install chromium'"
    exit 3
fi

say "installing Debian package chromium (takes a minute or two the first time)"
log=$(mktemp)
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    say "apt-get install chromium failed (see above)"
    exit 4
fi
rm -f "$log"
if [[ ! -x "$BROWSER" ]]; then
    say "chromium was installed but $BROWSER is still missing"
    exit 3
fi
echo "$BROWSER"
