#!/usr/bin/env bash
# The demonstration `make demo` runs: a SMAC4AC optimisation of the example
# Branin scenario through the `smac` command, then the files it wrote.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/branin"

echo "== the configuration space (smac-pcs check branin.pcs)"
"$build/smac-pcs" check branin.pcs
echo
echo "== smac --scenario scenario.txt --seed 1   (200 target runs on 4 instances)"
"$build/smac" --scenario scenario.txt --seed 1 --output_dir "$out" | grep -v "^INFO:	  x[12] :"
echo
echo "== the output folder, as SMAC3 v1.1 writes it"
ls "$out/run_1"
echo
echo "== its trajectory (traj_old.csv)"
cat "$out/run_1/traj_old.csv"
