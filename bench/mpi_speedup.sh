#!/usr/bin/env bash
# Wall-clock time of a fixed number of target runs with N runs in flight, locally
# (--n_workers N) and over MPI (mpirun -n N+1: rank 0 optimises, N ranks run targets),
# on a command-line target that sleeps. Prints seconds and the speed-up against one worker.
#   bench/mpi_speedup.sh [BUILD_DIR] [RUNS] [SLEEP_SECONDS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
runs=${2:-32}
nap=${3:-0.5}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '#!/bin/sh\nsleep %s\nexec sh %s/examples/branin/target/branin.sh "$@"\n' "$nap" "$src" > target.sh
cp -r "$src/examples/branin/instances" "$src/examples/branin/instances.txt" .
printf 'algo = sh target.sh\nparamfile = %s/examples/branin/branin.pcs\nrun_obj = quality\ndeterministic = true\ninstance_file = instances.txt\nruncount_limit = %s\n' \
    "$src" "$runs" > scenario.txt
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "$runs runs of a target sleeping ${nap} s"
printf '%8s %12s %10s %12s %10s\n' workers local_s speedup mpi_s speedup
base=""
for n in 1 2 4 8 16; do
    l=$(timed "$build/smac" --scenario scenario.txt --n_workers "$n" --output_dir "l$n")
    m="-"
    if command -v mpirun > /dev/null && ldd "$build/smac" | grep -q libmpi; then
        m=$(timed mpirun --oversubscribe --allow-run-as-root -n $((n + 1)) "$build/smac" --scenario scenario.txt --output_dir "m$n")
    fi
    [ -z "$base" ] && base=$l
    ls=$(ratio "$base" "$l")
    ms="-"; [ "$m" != "-" ] && ms=$(ratio "$base" "$m")
    printf '%8s %12.2f %10s %12s %10s\n' "$n" "$l" "${ls}x" "$m" "${ms}x"
done
