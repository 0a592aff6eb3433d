#!/usr/bin/env bash
# Give semgrep and Fixit an environment each (they cannot share one: Fixit pins click<8.2),
# under bench/.venvs/, for bench/bench.py to find. ruff comes from normlint[bench].
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in semgrep fixit; do
  python3 -m venv "$here/.venvs/$tool"
  "$here/.venvs/$tool/bin/pip" install -q "$tool"
done

# The tree dense in ML code: the published .py files of four ML libraries, without their
# dependencies (nothing is imported; the files are only read).
python3 -m pip install -q --no-deps --target "$here/.trees/mlpkgs" \
  transformers==5.23.0 timm==1.0.31 open-clip-torch==3.3.0 keras-hub==0.32.0
