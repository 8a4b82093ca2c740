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

echo
echo "== pSMAC: smac --mode PSMAC --n_optimizers 4 (four runs sharing every evaluation)"
"$build/smac" --scenario scenario.txt --mode PSMAC --n_optimizers 4 --runcount_limit 40 \
    --output_dir "$out/psmac" --verbose DEBUG > "$out/psmac.log" 2>&1
echo "lines showing that the runs read each other's evaluations:"
grep -E "Shared model mode: Loaded [1-9][0-9]* new runs" "$out/psmac.log" | head -4 | sed 's/^[^	]*	/  /'
echo "  ... $(grep -cE "Loaded [1-9][0-9]* new runs" "$out/psmac.log") such lines in all"
echo "the group's merged result:"
grep -E "PSMAC: group incumbent|Final Incumbent|^  '|^\})|Estimated cost of incumbent" "$out/psmac.log" | tail -6
echo
echo "== smac-merge: the group's run folders pooled into one run history"
"$build/smac-merge" -o "$out/merged.json" "$out/psmac" | tail -4
