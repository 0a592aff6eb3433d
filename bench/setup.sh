#!/usr/bin/env bash
# Give semgrep and Fixit an environment each (they cannot share one: Fixit pins click<8.2),
# under bench/.venvs/, for bench/bench.py to find. ruff comes from normlint[bench].
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in semgrep fixit; do
  python3 -m venv "$here/.venvs/$tool"
  "$here/.venvs/$tool/bin/pip" install -q "$tool"
done
