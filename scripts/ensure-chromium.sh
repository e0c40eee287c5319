#!/usr/bin/env bash
# Installs Debian's chromium when /usr/bin/chromium is missing, so that the HTML report's browser
# test (HtmlReportBrowserTest) can open the report in a real headless browser. Called by the build
# (parity-tests' pom, generate-test-resources) so that `mvn -B test` works on a fresh machine.
# Does nothing when the browser is there; fails loudly, naming what to do, when it cannot install.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi

fail() {
  echo "ensure-chromium: $1" >&2
  echo "ensure-chromium: the HTML report's browser test needs Debian's chromium at $CHROMIUM;" \
       "install it by hand (apt-get install chromium) and run the build again" >&2
  exit 1
}

if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  fail "$CHROMIUM is missing, this is not root and there is no sudo"
fi
command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and there is no apt-get (not a Debian-like system)"

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q >&2 || fail "apt-get update failed"
"${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2 \
  || fail "apt-get install chromium failed"
[[ -x "$CHROMIUM" ]] || fail "apt-get installed chromium but $CHROMIUM is still missing"
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
