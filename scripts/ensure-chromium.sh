#!/usr/bin/env bash
# The widget's browser tests drive Debian's Chromium (npm cannot bring a browser on our machines).
# Runs before `npm test`: installs it with apt-get when missing and we are root, else says what to do.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "npm test: installing Debian's chromium for the browser tests (apt-get, about a minute)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium > /dev/null
  exit 0
fi
echo "npm test needs /usr/bin/chromium for the widget's browser tests: run 'sudo apt-get install -y chromium' (Debian/Ubuntu), then npm test again." >&2
exit 1
