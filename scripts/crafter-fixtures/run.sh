#!/usr/bin/env bash
# Records the Crafter reference fixtures: makes a venv under .cache/crafter-venv, installs the pinned
# reference (PyPI crafter 1.8.3) and runs record.py with any arguments given (e.g. --stats, --only NAME).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.cache/crafter-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet -r "$here/requirements.txt"
cd "$root"
exec "$venv/bin/python" "$here/record.py" "$@"
