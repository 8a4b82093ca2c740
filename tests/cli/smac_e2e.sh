#!/usr/bin/env bash
# End-to-end tests of the `smac` command: real optimisations on the example
# scenario and on the shared scenarios (when ../shared is there), the output
# folder, determinism, bad input, a crashing target and a clean stop on SIGTERM.
set -euo pipefail
build=$(cd "$1" && pwd)
src=${SMAC_SOURCE_DIR:?}
shared=${SMAC_SHARED_DIR:-}
smac=$build/smac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# The "Estimated cost of incumbent" a run printed.
inc_cost() { sed -n 's/.*Estimated cost of incumbent: //p' "$1" | tail -1; }
# runhistory.json without the wall-clock fields (start/end times), for comparisons.
strip_times() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for key, value in d["data"]:
    value[3] = value[4] = 0
print(json.dumps(d, sort_keys=True))
PY
}

# 1. The example scenario: the output folder and an incumbent far better than the default.
cd "$src/examples/branin"
if "$smac" --scenario scenario.txt --seed 1 --output_dir "$work/ex1" > "$work/ex1.log" 2>&1; then
    for f in scenario.txt runhistory.json stats.json traj.json traj_aclib2.json traj_old.csv branin.json branin.pcs instances.txt features.txt; do
        [ -s "$work/ex1/run_1/$f" ] || fail "example: $f missing from the run folder"
    done
    cost=$(inc_cost "$work/ex1.log")
    # The default (2.5, 7.5) costs about 22 on these instances; Branin's optimum is ~0.4.
    awk -v c="$cost" 'BEGIN { exit !(c < 3.0) }' && pass "example incumbent cost $cost < 3 (default ~22)" \
        || fail "example: incumbent cost '$cost' is not clearly better than the default"
    runs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['data']))" "$work/ex1/run_1/runhistory.json")
    [ "$runs" = 200 ] && pass "example: 200 runs in runhistory.json" || fail "example: $runs runs in runhistory.json, expected 200"
    grep -q '"finished_ta_runs": 200' "$work/ex1/run_1/stats.json" || fail "example: stats.json does not count 200 runs"
    head -1 "$work/ex1/run_1/traj_old.csv" | grep -q '^"CPU Time Used","Estimated Training Performance"' \
        || fail "example: traj_old.csv header"
else
    fail "example: smac exited with an error"; cat "$work/ex1.log"
fi

# 2. Same seed, same scenario, deterministic target: the same run history, run for run.
if "$smac" --scenario scenario.txt --seed 1 --output_dir "$work/ex2" --runcount_limit 60 > /dev/null 2>&1 &&
   "$smac" --scenario scenario.txt --seed 1 --output_dir "$work/ex3" --runcount_limit 60 > /dev/null 2>&1; then
    if [ "$(strip_times "$work/ex2/run_1/runhistory.json")" = "$(strip_times "$work/ex3/run_1/runhistory.json")" ]; then
        pass "same seed, same run history"
    else
        fail "same seed gave different run histories"
    fi
    "$smac" --scenario scenario.txt --seed 2 --output_dir "$work/ex4" --runcount_limit 60 > /dev/null 2>&1
    [ "$(strip_times "$work/ex2/run_1/runhistory.json")" != "$(strip_times "$work/ex4/run_2/runhistory.json")" ] \
        && pass "another seed, another run history" || fail "seeds 1 and 2 gave the same run history"
else
    fail "determinism runs failed"
fi

# 2b. --restore_state continues a run: budgets count on, the trajectory is carried over.
if "$smac" --scenario scenario.txt --seed 1 --output_dir "$work/rs" --runcount_limit 30 > /dev/null 2>&1 &&
   "$smac" --scenario scenario.txt --seed 1 --output_dir "$work/rs" --runcount_limit 60 --restore_state "$work/rs/run_1" > "$work/rs.log" 2>&1; then
    runs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['data']))" "$work/rs/run_1/runhistory.json")
    old=$(wc -l < "$work/rs/run_1.OLD/traj_old.csv"); new=$(wc -l < "$work/rs/run_1/traj_old.csv")
    if [ "$runs" = 60 ] && grep -q "Finished target algorithm runs: 60 / 60.0" "$work/rs.log" && [ "$new" -ge "$old" ]; then
        pass "restore: 30 + 30 runs, trajectory kept ($old -> $new lines)"
    else
        fail "restore: $runs runs, trajectory $old -> $new lines"
    fi
else
    fail "restore runs failed"
fi

# 3. Every facade the command line offers runs the example.
for mode in SMAC4AC SMAC4HPO ROAR; do
    if "$smac" --scenario scenario.txt --seed 3 --mode $mode --runcount_limit 40 --output_dir "$work/m$mode" > "$work/m$mode.log" 2>&1; then
        pass "--mode $mode runs"
    else
        fail "--mode $mode failed"; tail -5 "$work/m$mode.log"
    fi
done

# 4. Bad input stops before the first run with a clear message.
cd "$work"
printf 'algo = sh t.sh\nparamfile = nowhere.pcs\nrun_obj = quality\n' > bad1.txt
if "$smac" --scenario bad1.txt > bad1.log 2>&1; then fail "missing paramfile accepted"
else grep -q "nowhere.pcs" bad1.log && pass "missing paramfile named" || { fail "missing paramfile: unclear message"; cat bad1.log; }; fi
printf 'algo = sh t.sh\nparamfile = %s\nrun_obj = quality\ncutoff_tme = 3\n' "$src/examples/branin/branin.pcs" > bad2.txt
if "$smac" --scenario bad2.txt > bad2.log 2>&1; then fail "unknown option accepted"
else grep -q "bad2.txt:4: unknown option 'cutoff_tme' (did you mean 'cutoff_time'?)" bad2.log && pass "unknown option with suggestion" \
     || { fail "unknown option: unexpected message"; cat bad2.log; }; fi
"$smac" > noargs.log 2>&1 && fail "no --scenario accepted" || pass "no --scenario refused"

# 5. A target that crashes on the first run stops the optimisation (abort_on_first_run_crash).
printf '#!/bin/sh\necho "Result of this algorithm run: CRASHED, 0, 0, 0, 0"\n' > crash.sh
printf 'algo = sh crash.sh\nparamfile = %s\nrun_obj = quality\nruncount_limit = 10\n' "$src/examples/branin/branin.pcs" > crash.txt
if "$smac" --scenario crash.txt --output_dir crash-out > crash.log 2>&1; then fail "crashing target: exit status 0"
else grep -q "First run crashed" crash.log && pass "first-run crash aborts" || { fail "crash: no message"; cat crash.log; }
     [ -s crash-out/run_1/runhistory.json ] && pass "crash: run history still saved" || fail "crash: no runhistory.json"; fi

# 6. SIGTERM stops cleanly and every finished run is in runhistory.json.
# A name of its own, so the check below cannot see other tests' targets.
slow=e2e_slow_$$.sh
printf '#!/bin/sh\nsleep 0.2\necho "Result of this algorithm run: SUCCESS, 0.2, 0, 1.0, 0"\n' > $slow
printf "algo = sh %s\nparamfile = %s\nrun_obj = quality\nruncount_limit = 1000\n" "$slow" "$src/examples/branin/branin.pcs" > slow.txt
"$smac" --scenario slow.txt --output_dir slow-out > slow.log 2>&1 &
pid=$!
sleep 3
kill -TERM $pid
if wait $pid; then :; fi
finished=$(sed -n 's/.*#Finished target algorithm runs: \([0-9]*\).*/\1/p' slow.log)
saved=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for k,v in d['data'] if v[2]['__enum__']!='StatusType.RUNNING'))" slow-out/run_1/runhistory.json 2>/dev/null || echo none)
if [ -n "$finished" ] && [ "$finished" = "$saved" ] && [ "$finished" -gt 3 ]; then
    pass "SIGTERM: $finished finished runs, all saved"
else
    fail "SIGTERM: finished '$finished', saved '$saved'"; tail -5 slow.log
fi
pgrep -f "$slow" > /dev/null && fail "SIGTERM: a target is still running" || pass "SIGTERM: no target left running"

# 6a. A second run given a live run's folder (same --seed and output_dir) is refused.
"$smac" --scenario slow.txt --output_dir dup-out --seed 7 > dup1.log 2>&1 &
pid=$!
sleep 1
if "$smac" --scenario slow.txt --output_dir dup-out --seed 7 > dup2.log 2>&1; then
    fail "same seed and output_dir: the second run was not refused"
else
    grep -q "is in use by process $pid" dup2.log && pass "same seed and output_dir: refused, naming process $pid" \
        || { fail "same seed and output_dir: unexpected message"; cat dup2.log; }
fi
kill -TERM $pid; wait $pid || true
[ ! -d dup-out/run_7.OLD ] && pass "the live run's folder was left in place" || fail "the live run's folder was moved"

# 6b. wallclock_limit stops the optimisation (a run may overshoot it, as in SMAC3).
start=$(date +%s)
"$smac" --scenario slow.txt --output_dir wall-out --wallclock_limit 2 > wall.log 2>&1 || true
took=$(( $(date +%s) - start ))
if grep -q "Used wallclock time: [0-9.]* / 2.00 sec" wall.log && [ "$took" -lt 15 ]; then
    pass "wallclock_limit 2 s: stopped after ${took} s"
else
    fail "wallclock_limit: took ${took} s"; tail -5 wall.log
fi
# tuner_timeout (algo_runs_timelimit) counts the runtimes the target reports (0.2 s each here).
"$smac" --scenario slow.txt --output_dir ta-out --algo_runs_timelimit 1 > ta.log 2>&1 || true
n=$(sed -n 's/.*#Finished target algorithm runs: \([0-9]*\).*/\1/p' ta.log)
[ "$n" = 6 ] && pass "algo_runs_timelimit 1 s: 6 runs of 0.2 s (the last one overshoots)" || { fail "algo_runs_timelimit: $n runs"; tail -5 ta.log; }

# 7. The shared scenarios (run from inside their folders, as SMAC3 users do).
if [ -n "$shared" ] && [ -d "$shared/scenarios" ]; then
    for s in tiny-branin:22.340 tiny-mixed-runtime:5.659; do
        name=${s%%:*} default=${s##*:}
        cd "$shared/scenarios/$name"
        if "$smac" --scenario scenario.txt --seed 1 --runcount_limit 150 --output_dir "$work/$name" > "$work/$name.log" 2>&1; then
            cost=$(inc_cost "$work/$name.log")
            awk -v c="$cost" -v d="$default" 'BEGIN { exit !(c < 0.5 * d) }' \
                && pass "$name: incumbent $cost beats the default $default by a clear margin" \
                || fail "$name: incumbent $cost vs default $default"
        else
            fail "$name: smac failed"; tail -5 "$work/$name.log"
        fi
    done
    if command -v minisat > /dev/null; then
        cd "$shared/scenarios/sat-minisat"
        if "$smac" --scenario scenario.txt --seed 1 --runcount_limit 25 --output_dir "$work/minisat" > "$work/minisat.log" 2>&1; then
            pass "sat-minisat: 25 runs of a real solver"
        else
            fail "sat-minisat: smac failed"; tail -5 "$work/minisat.log"
        fi
    fi
else
    echo "shared scenarios absent: skipped"
fi

echo "smac_e2e: $failures failure(s)"
[ "$failures" -eq 0 ]
