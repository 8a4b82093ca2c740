#!/usr/bin/env bash
# Several target runs in flight from one optimiser (--n_workers N) with the
# `smac` command on the example scenario, through a wrapper that sleeps
# 0.2 s, calls the example target and logs every call with its result:
#   - N = 1, 2, 4, 8 all exit 0 and store exactly what the target reported:
#     one history entry per call, same configuration, instance, seed and cost,
#     no run lost or duplicated, stats: finished = submitted = runcount_limit;
#   - N = 4 takes well under the wall time of N = 1;
#   - limits hold per worker: a target that hangs (ignoring SIGTERM) with a
#     cutoff of 1 s under N = 4 ends TIMEOUT every time within a few seconds,
#     and nothing it started is left running.
set -euo pipefail
build=$(cd "$1" && pwd)
src=${SMAC_SOURCE_DIR:?}
smac=$build/smac
work=$(mktemp -d)
cleanup() {
    # Anything our hanging wrappers left behind would be a failure reported
    # below; make sure the folder can go anyway.
    if [ -s "$work/hang_pids" ]; then
        while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$work/hang_pids"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
runs=24

# The sleepy wrapper: the example target's old-convention call, 0.2 s later.
cat > "$work/sleepy.sh" <<'SH'
#!/bin/sh
sleep 0.2
out=$(sh target/branin.sh "$@")
echo "$out"
printf '%s | %s\n' "$*" "$out" >> "$SMAC_WORKERS_LOG"
SH

# Compares a run folder with the call log; prints "ok" or the problems.
check_history() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
run_dir, log, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
problems = []
rh = json.load(open(run_dir + "/runhistory.json"))
stats = json.load(open(run_dir + "/stats.json"))
configs = rh["configs"]
keys = [tuple(k) for k, v in rh["data"]]
if len(keys) != len(set(keys)):
    problems.append("duplicate run keys")
if len(keys) != expected:
    problems.append("%d runs stored, expected %d" % (len(keys), expected))
stored = {}
for (cid, inst, seed, budget), v in rh["data"]:
    status = v[2]["__enum__"] if isinstance(v[2], dict) else v[2]
    if status != "StatusType.SUCCESS":
        problems.append("run %s on %s: status %s" % (cid, inst, status))
    c = configs[str(cid)]
    stored[(inst, int(seed), float(c["x1"]), float(c["x2"]))] = v[0]
calls = {}
for line in open(log):
    args, result = line.rstrip("\n").split(" | ")
    a = args.split()
    inst, seed = a[0], int(a[4])
    params = dict(zip(a[5::2], a[6::2]))
    key = (inst, seed, float(params["-x1"]), float(params["-x2"]))
    if key in calls:
        problems.append("called twice: %s" % args)
    calls[key] = float(result.split(",")[3])
if set(calls) != set(stored):
    problems.append("calls and stored runs differ: %d calls not stored, %d stored without a call"
                    % (len(set(calls) - set(stored)), len(set(stored) - set(calls))))
for k in set(calls) & set(stored):
    if calls[k] != stored[k]:
        problems.append("%s: target said %r, history has %r" % (k, calls[k], stored[k]))
if not (stats["submitted_ta_runs"] == stats["finished_ta_runs"] == expected):
    problems.append("stats: submitted %s, finished %s, expected %d"
                    % (stats["submitted_ta_runs"], stats["finished_ta_runs"], expected))
print("ok" if not problems else "; ".join(problems[:5]))
PY
}

cd "$src/examples/branin"
declare -A wall
for n in 1 2 4 8; do
    log="$work/calls_$n.log"
    : > "$log"
    t0=$(date +%s.%N)
    if SMAC_WORKERS_LOG=$log "$smac" --scenario scenario.txt --seed 1 --algo "sh $work/sleepy.sh" \
        --n_workers "$n" --runcount_limit "$runs" --output_dir "$work/n$n" > "$work/n$n.log" 2>&1; then
        t1=$(date +%s.%N)
        wall[$n]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        verdict=$(check_history "$work/n$n/run_1" "$log" "$runs")
        if [ "$verdict" = ok ]; then
            pass "n_workers $n: $runs runs, history = what the target reported, none lost or duplicated (${wall[$n]} s)"
        else
            fail "n_workers $n: $verdict"
        fi
    else
        fail "n_workers $n: smac exited with an error"; tail -20 "$work/n$n.log"
    fi
done

if [ -n "${wall[1]:-}" ] && [ -n "${wall[4]:-}" ]; then
    echo "wall time: N=1 ${wall[1]} s, N=2 ${wall[2]:-?} s, N=4 ${wall[4]} s, N=8 ${wall[8]:-?} s"
    awk -v a="${wall[4]}" -v b="${wall[1]}" 'BEGIN { exit !(a < 0.7 * b) }' \
        && pass "N=4 takes ${wall[4]} s < 0.7 x ${wall[1]} s of N=1" \
        || fail "N=4 took ${wall[4]} s, not well below N=1's ${wall[1]} s"
fi

# A target that hangs and ignores SIGTERM: cutoff 1 s, 4 workers, 8 runs.
cat > "$work/hang.sh" <<'SH'
#!/bin/sh
echo $$ >> "$SMAC_WORKERS_PIDS"
trap '' TERM
while :; do sleep 1; done
SH
: > "$work/hang_pids"
t0=$(date +%s.%N)
if SMAC_WORKERS_PIDS=$work/hang_pids "$smac" --scenario scenario.txt --seed 1 --algo "sh $work/hang.sh" \
    --n_workers 4 --runcount_limit 8 --cutoff_time 1 --abort_on_first_run_crash false \
    --output_dir "$work/hang" > "$work/hang.log" 2>&1; then
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    verdict=$(python3 - "$work/hang/run_1/runhistory.json" <<'PY'
import json, sys
rh = json.load(open(sys.argv[1]))
bad = []
for k, v in rh["data"]:
    status = v[2]["__enum__"] if isinstance(v[2], dict) else v[2]
    if status not in ("StatusType.TIMEOUT", "StatusType.CRASHED"):
        bad.append(status)
    elif v[4] - v[3] > 6:
        bad.append("a run took %.1f s" % (v[4] - v[3]))
print("ok" if not bad and len(rh["data"]) == 8 else "%d runs; %s" % (len(rh["data"]), bad[:3]))
PY
)
    [ "$verdict" = ok ] && pass "hanging target, cutoff 1 s, 4 workers: 8 runs ended TIMEOUT/CRASHED within 6 s each ($secs s in all)" \
        || fail "hanging target: $verdict"
    awk -v s="$secs" 'BEGIN { exit !(s < 20) }' || fail "hanging target: $secs s for 8 runs of cutoff 1 s on 4 workers"
    [ "$(wc -l < "$work/hang_pids")" -eq 8 ] || fail "hanging target: $(wc -l < "$work/hang_pids") calls, expected 8"
    left=0
    while read -r pid; do
        if kill -0 "$pid" 2>/dev/null; then left=$((left + 1)); fi
    done < "$work/hang_pids"
    if pgrep -f "$work/hang.sh" > /dev/null 2>&1; then left=$((left + 1)); fi
    [ "$left" -eq 0 ] && pass "hanging target: nothing left running" || fail "hanging target: $left process(es) left running"
else
    fail "hanging target: smac exited with an error"; tail -20 "$work/hang.log"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all workers tests passed"
