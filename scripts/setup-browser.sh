#!/usr/bin/env bash
# Installs what the viewer's browser tests need: Debian's chromium (driven by playwright-core, no browser download).
# Usage: bash scripts/setup-browser.sh   (npm run setup:browser). Idempotent; exits non-zero when it cannot install.
set -euo pipefail

find_chromium() {
  for c in "${CANOPY_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser "$(command -v chromium 2>/dev/null || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}

if path=$(find_chromium); then
  echo "chromium: $path ($("$path" --version 2>/dev/null | head -1 || echo 'version unknown'))"
  exit 0
fi

echo "== chromium not found: installing Debian's chromium with apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: chromium is missing and this user cannot run apt-get. Install it as root: apt-get install -y chromium" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: chromium is missing and apt-get is not available. Install Chromium and set CANOPY_CHROMIUM=/path/to/chromium" >&2
  exit 1
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
path=$(find_chromium) || { echo "error: apt-get ran but no chromium binary was found" >&2; exit 1; }
echo "chromium: $path"
