#!/usr/bin/env bash
# pSMAC end to end: groups of 2, 4 and 8 `smac` processes sharing their runs
# on the example scenario (a target that sleeps a little, so the processes
# really overlap), `--mode PSMAC`, smac-merge over a group's folders, and one
# of our runs reading run folders written by SMAC3 v1.1 itself.
# Nothing here asserts on timing; every process started is waited for or
# killed, and the temp folder is removed.
set -euo pipefail
build=$(cd "$1" && pwd)
src=${SMAC_SOURCE_DIR:?}
shared=${SMAC_SHARED_DIR:-}
smac=$build/smac
merge=$build/smac-merge
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# A copy of the example with a target that sleeps 50 ms first.
make_scenario() { # folder runcount
    mkdir -p "$1"
    cp -r "$src/examples/branin/." "$1/"
    cat > "$1/target/slow.sh" <<'EOF'
#!/bin/sh
sleep 0.05
exec sh target/branin.sh "$@"
EOF
    sed -e 's|^algo = .*|algo = sh target/slow.sh|' -e "s|^runcount_limit = .*|runcount_limit = $2|" \
        "$src/examples/branin/scenario.txt" > "$1/scenario.txt"
}

# Python: facts about run histories (the keys are compared by configuration value).
py_count() { # file -> number of runs
    python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['data']))" "$1"
}
py_union() { # files... -> number of distinct (config values, instance, seed, budget) keys
    python3 - "$@" <<'PY'
import json, sys
keys = set()
for path in sys.argv[1:]:
    d = json.load(open(path))
    for (cid, inst, seed, *budget), _ in d["data"]:
        conf = tuple(sorted(d["configs"][str(cid)].items()))
        keys.add((conf, inst, seed, budget[0] if budget else 0.0))
print(len(keys))
PY
}

# 1. Groups of 2, 4 and 8 processes started together.
for n in 2 4 8; do
    dir=$work/g$n
    make_scenario "$dir" 20
    pids=()
    for i in $(seq 1 "$n"); do
        (cd "$dir" && exec timeout -s KILL 240 "$smac" --scenario scenario.txt --seed "$i" --shared_model True \
            --input_psmac_dirs 'smac3-output*' --verbose DEBUG > "$dir/log_$i.txt" 2>&1) &
        pids+=($!)
    done
    ok=1
    for i in $(seq 1 "$n"); do
        wait "${pids[$((i - 1))]}" || { ok=0; fail "group $n: process $i exited with an error"; tail -5 "$dir/log_$i.txt"; }
    done
    pids=()
    [ "$ok" = 1 ] || continue
    files=("$dir"/smac3-output*/run_*/runhistory.json)
    [ "${#files[@]}" = "$n" ] || { fail "group $n: ${#files[@]} published runhistory.json files, expected $n"; continue; }
    # Every finished run is published: each process's file has its 20 runs, none left RUNNING.
    published=0
    for f in "${files[@]}"; do
        c=$(py_count "$f")
        published=$((published + c))
        grep -q 'StatusType.RUNNING' "$f" && fail "group $n: $f still has a RUNNING run"
        finished=$(sed -n 's/.*"finished_ta_runs": \([0-9]*\).*/\1/p' "$(dirname "$f")/stats.json")
        [ "$c" = "$finished" ] || fail "group $n: $f has $c runs but its stats say $finished finished"
    done
    [ "$published" = $((20 * n)) ] && pass "group $n: all $published finished runs are in the published files" \
        || fail "group $n: $published runs published, expected $((20 * n))"
    # Every process imported runs from another process's file.
    importers=0
    for i in $(seq 1 "$n"); do
        # (no grep -q in a pipe: with pipefail, the writer's SIGPIPE would count as a failure)
        foreign=$(grep -E "Shared model mode: Loaded [1-9][0-9]* new runs from " "$dir/log_$i.txt" \
            | grep -vEc "/run_$i/runhistory\.(json|journal)" || true)
        if [ "$foreign" -gt 0 ]; then
            importers=$((importers + 1))
        else
            fail "group $n: process $i never loaded a run of another process"
        fi
        grep -qE "Loaded [0-9]* new runs from .*/run_$i/runhistory\.(json|journal)" "$dir/log_$i.txt" \
            && fail "group $n: process $i read its own file back"
    done
    [ "$importers" = "$n" ] && pass "group $n: every process imported the others' runs"
done

# 2. --mode PSMAC --n_optimizers 4: four members in one group folder, one group incumbent.
dir=$work/psmac
make_scenario "$dir" 15
if (cd "$dir" && timeout -s KILL 240 "$smac" --scenario scenario.txt --mode PSMAC --n_optimizers 4 --seed 5 \
        > "$dir/log.txt" 2>&1); then
    group=$(cd "$dir" && ls -d psmac3-output_* 2>/dev/null | head -1 || true)
    if [ -n "$group" ] && [ "$(cd "$dir/$group" && ls -d run_5 run_6 run_7 run_8 2>/dev/null | wc -l)" = 4 ]; then
        pass "PSMAC: four members (seeds 5..8) in $group"
    else
        fail "PSMAC: expected run_5..run_8 in a psmac3-output_* folder"; ls -R "$dir" | head -20
    fi
    n_final=$(grep -c "Final Incumbent:" "$dir/log.txt" || true)
    group_line=$(grep -n "PSMAC: group incumbent" "$dir/log.txt" | cut -d: -f1 | head -1 || true)
    last_final=$(grep -n "Final Incumbent:" "$dir/log.txt" | tail -1 | cut -d: -f1 || true)
    if [ "$n_final" = 5 ] && [ -n "$group_line" ] && [ "${last_final:-0}" -gt "$group_line" ] &&
       tail -1 "$dir/log.txt" | grep -q "Estimated cost of incumbent: [0-9]"; then
        pass "PSMAC: one group incumbent after the 4 members' own"
    else
        fail "PSMAC: expected 4 member incumbents then one group incumbent"; tail -8 "$dir/log.txt"
    fi
    grep -q "Shared model mode: Finished loading new runs, found [1-9]" "$dir/log.txt" && pass "PSMAC: the members share runs" \
        || fail "PSMAC: no member loaded another's runs"
    [ -s "$dir/$group/merged_runhistory.json" ] || fail "PSMAC: no merged_runhistory.json"

    # 3. smac-merge over the group's folders: the deduplicated union, and a best configuration.
    if (cd "$dir" && "$merge" -o merged.json 'psmac3-output_*' > merge.log 2>&1); then
        got=$(py_count "$dir/merged.json")
        want=$(py_union "$dir/$group"/run_*/runhistory.json)
        sum=0
        for f in "$dir/$group"/run_*/runhistory.json; do sum=$((sum + $(py_count "$f"))); done
        [ "$got" = "$want" ] && pass "smac-merge: $got runs = the union of the parts ($sum before deduplication)" \
            || fail "smac-merge: $got runs, the union of the parts has $want"
        grep -q "Merged $sum runs from 4 run folders" "$dir/merge.log" || fail "smac-merge: summary line"; 
        # The best configuration: most runs, then lowest cost (checked independently).
        want_cost=$(python3 - "$dir/merged.json" <<'PY'
import json, sys
from collections import defaultdict
d = json.load(open(sys.argv[1]))
runs = defaultdict(dict)
for (cid, inst, seed, *budget), (cost, _t, status, *_rest) in d["data"]:
    if status["__enum__"] not in ("StatusType.CAPPED", "StatusType.RUNNING"):
        runs[cid][(inst, seed)] = cost
best = min(runs, key=lambda c: (-len(runs[c]), sum(runs[c].values()) / len(runs[c]), c))
print("%f" % (sum(runs[best].values()) / len(runs[best])))
PY
)
        grep -q "Estimated cost of best configuration: $want_cost" "$dir/merge.log" \
            && pass "smac-merge: best configuration (cost $want_cost)" \
            || { fail "smac-merge: expected best cost $want_cost"; cat "$dir/merge.log"; }
        # The same folders named one by one, the output folder twice: the same history.
        (cd "$dir" && "$merge" -o again.json "$group"/run_* "$group" > /dev/null 2>&1) \
            && [ "$(py_count "$dir/again.json")" = "$got" ] && pass "smac-merge: run folders and repeats" \
            || fail "smac-merge: naming run folders one by one gave another history"
    else
        fail "smac-merge exited with an error"; cat "$dir/merge.log"
    fi
else
    fail "--mode PSMAC exited with an error"; tail -20 "$dir/log.txt"
fi

# 4. smac-merge refuses nonsense clearly.
if "$merge" "$work/nothing-here" > "$work/m.log" 2>&1; then
    fail "smac-merge: no run folder should be an error"
else
    grep -q "no run folder" "$work/m.log" && pass "smac-merge: no run folder is an error" || fail "smac-merge: message"
fi
"$merge" > /dev/null 2>&1 && fail "smac-merge: no argument should be an error" || true

# 5. A mixed group: one of our runs reads the run folders SMAC3 v1.1 wrote.
fixture=${shared:+$shared/fixtures/smac3-v1.1-psmac-branin}
if [ -n "$fixture" ] && [ -d "$fixture" ]; then
    dir=$work/mixed
    mkdir -p "$dir/target"
    cp -r "$fixture"/smac3-output_* "$dir/"
    cp "$fixture/branin/configspace.pcs" "$dir/"
    cp "$src/examples/branin/target/branin.sh" "$dir/target/"
    # The fixture's scenario (branin/scenario.txt) with our target: plain Branin, no instances.
    cat > "$dir/scenario.txt" <<'EOF'
algo = sh target/branin.sh
paramfile = configspace.pcs
run_obj = quality
runcount_limit = 5
deterministic = 1
EOF
    if (cd "$dir" && timeout -s KILL 120 "$smac" --scenario scenario.txt --seed 3 --shared_model True \
            --input_psmac_dirs 'smac3-output*' --verbose DEBUG > log.txt 2>&1); then
        loads=$(grep -cE "Loaded [1-9][0-9]* new runs from smac3-output_2026-11-29_22:24:11_[0-9]+/run_[12]/runhistory.json" "$dir/log.txt" || true)
        first=$(sed -n 's/.*Finished loading new runs, found \([0-9]*\) new runs.*/\1/p' "$dir/log.txt" | head -1)
        # 30 runs each; both ran the default, so one key is shared.
        [ "$loads" = 2 ] && [ "$first" = 59 ] && pass "mixed: our run imported the 59 distinct runs of SMAC3's two processes" \
            || fail "mixed: $loads fixture files loaded, $first runs found at first (expected 2 and 59)"
        own=$(ls -d "$dir"/smac3-output_*/run_3 2>/dev/null || true)
        [ "$(py_count "$own/runhistory.json")" = 5 ] && pass "mixed: our file holds only our 5 runs" \
            || fail "mixed: our runhistory.json does not hold exactly our 5 runs"
        (cd "$dir" && "$merge" -o all.json 'smac3-output*' > merge.log 2>&1) && [ "$(py_count "$dir/all.json")" -ge 60 ] \
            && pass "mixed: smac-merge pools SMAC3's and our folders" || fail "mixed: smac-merge"
    else
        fail "mixed: smac exited with an error"; tail -20 "$dir/log.txt"
    fi
else
    echo "skip: SMAC3 fixtures not found (SMAC_SHARED_DIR); mixed group not tested"
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
