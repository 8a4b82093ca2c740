#!/usr/bin/env bash
# The demonstration `make demo` runs: a SMAC4AC optimisation of the example
# Branin scenario through the `smac` command, then the files it wrote.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
# Everything the demo writes stays in demo-output/ to look at afterwards.
out=$(cd "$here/.." && pwd)/demo-output
rm -rf "$out"
mkdir -p "$out"
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
grep -m4 -E "Shared model mode: Loaded [1-9][0-9]* new runs" "$out/psmac.log" | sed 's/^[^	]*	/  /'
echo "  ... $(grep -cE "Loaded [1-9][0-9]* new runs" "$out/psmac.log") such lines in all"
echo "the group's merged result:"
grep -E "PSMAC: group incumbent|Final Incumbent|^  '|^\})|Estimated cost of incumbent" "$out/psmac.log" | tail -6
echo
echo "== smac-merge: the group's run folders pooled into one run history"
"$build/smac-merge" -o "$out/merged.json" "$out/psmac" | tail -4

echo
echo "== smac-plot: the incumbent's cost over time, as a picture"
"$build/smac-plot" -o "$out/single-run.svg" --log --title "SMAC4AC on examples/branin" "$out/run_1"
"$build/smac-plot" -o "$out/psmac-group.svg" --log --title "A pSMAC group of 4 on examples/branin" "$out/psmac"
echo
echo "The demo's files are in $out (open the .svg files in a browser)."
