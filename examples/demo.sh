#!/usr/bin/env bash
# The demonstration `make demo` runs: checks the example scenario's configuration
# space, converts it between formats and samples configurations from it.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
cd "$here/branin"

echo "== smac-pcs check branin.pcs"
"$build/smac-pcs" check branin.pcs
echo
echo "== smac-pcs convert --to json branin.pcs"
"$build/smac-pcs" convert --to json branin.pcs
echo
echo "== smac-pcs sample -n 3 --seed 1 branin.pcs"
"$build/smac-pcs" sample -n 3 --seed 1 branin.pcs
