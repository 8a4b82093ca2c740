#!/usr/bin/env bash
# pSMAC under SIGKILL: random processes of a sharing group are killed at
# random moments; each killed run is then continued with --restore_state.
# Nothing it had published may be lost (every run of its last runhistory.json
# is in the restored run's history, with the same result) and the restored
# run goes on to its budget. Also: a member of a `--mode PSMAC` group killed,
# and a SIGTERM to a group passed on to its members.
#
# The runs save instantly (save_results_instantly): --restore_state needs
# stats.json, which a SIGKILLed SMAC3 v1.1 run only has when it saves after
# every run. Section 2 shows what happens to a killed run without it.
#
# Random choices come from PSMAC_KILL_SEED (printed; set it to replay a run).
set -euo pipefail
build=$(cd "$1" && pwd)
src=${SMAC_SOURCE_DIR:?}
smac=$build/smac
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do [ -n "$p" ] && { pkill -9 -P "$p"; kill -9 "$p"; } 2>/dev/null || true; done
    for w in "${watchdogs[@]:-}"; do [ -n "$w" ] && { pkill -P "$w"; kill "$w"; } 2>/dev/null || true; done
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
seed=${PSMAC_KILL_SEED:-$(( $(date +%s) % 100000 ))}
echo "PSMAC_KILL_SEED=$seed"
RANDOM=$seed
budget=40

cp -r "$src/examples/branin/." "$work/"
cat > "$work/target/slow.sh" <<'EOF'
#!/bin/sh
sleep 0.05
exec sh target/branin.sh "$@"
EOF
sed -e 's|^algo = .*|algo = sh target/slow.sh|' -e "s|^runcount_limit = .*|runcount_limit = $budget|" \
    "$src/examples/branin/scenario.txt" > "$work/scenario.txt"
cd "$work"

# Python: is every run of file A in file B, with the same result? (keys by configuration value)
runs_kept() { # old new -> prints "missing changed total"
    python3 - "$1" "$2" <<'PY'
import json, sys
def runs(path):
    d = json.load(open(path))
    out = {}
    for (cid, inst, seed, *budget), value in d["data"]:
        conf = tuple(sorted(d["configs"][str(cid)].items()))
        out[(conf, inst, seed, budget[0] if budget else 0.0)] = value[:3]
    return out
old, new = runs(sys.argv[1]), runs(sys.argv[2])
missing = sum(1 for k in old if k not in new)
changed = sum(1 for k in old if k in new and new[k] != old[k])
print(missing, changed, len(old))
PY
}
count() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['data']))" "$1"; }
# A hung process must not hang the test: SIGKILL after 240 s (and the members of a group with it).
watchdog() {
    (sleep 240; for p in "$@"; do pkill -9 -P "$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done) > /dev/null 2>&1 &
    watchdogs+=($!)
}
watchdogs=()
wait_killers() { # ends the watchdogs (their sleep included) and the pending killers
    for w in "${watchdogs[@]:-}"; do [ -n "$w" ] && { pkill -P "$w" 2>/dev/null; kill "$w" 2>/dev/null; } || true; done
    watchdogs=()
    wait 2>/dev/null || true
}
finished_runs() { sed -n 's/.*"finished_ta_runs": \([0-9]*\).*/\1/p' "$1"; }

# 1. Four sharing runs; random ones are SIGKILLed at random moments, then restored.
n=4
victims=()
for i in $(seq 1 $n); do
    "$smac" --scenario scenario.txt --seed "$i" --shared_model True --input_psmac_dirs 'out_*' \
        --output_dir "out_$i" --save_results_instantly True > "log_$i.txt" 2>&1 &
    pids+=($!)
    [ $((RANDOM % 2)) = 0 ] && victims+=("$i")
done
[ "${#victims[@]}" -gt 0 ] || victims=($((RANDOM % n + 1)))
watchdog "${pids[@]}"
for v in "${victims[@]}"; do
    ms=$((300 + RANDOM % 1400)) # a run takes 2 s at least (40 runs of 50 ms)
    (sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"; kill -9 "${pids[$((v - 1))]}" 2>/dev/null || true) &
done
for i in $(seq 1 $n); do
    status=0
    { wait "${pids[$((i - 1))]}"; } 2>/dev/null || status=$?
    echo "process $i: exit status $status, $( [ -s out_$i/run_$i/runhistory.json ] && count out_$i/run_$i/runhistory.json || echo 0) runs published"
done
wait_killers
pids=()

restored=0
for v in "${victims[@]}"; do
    run=out_$v/run_$v
    if [ ! -s "$run/runhistory.json" ] || [ ! -s "$run/stats.json" ]; then
        echo "note: run $v was killed before it published a finished run; nothing to restore"
        continue
    fi
    cp "$run/runhistory.json" "published_$v.json"
    if timeout -s KILL 240 "$smac" --scenario scenario.txt --seed "$v" --shared_model True --input_psmac_dirs 'out_*' \
            --output_dir "out_$v" --save_results_instantly True --restore_state "$run" > "restore_$v.txt" 2>&1; then
        read -r missing changed total < <(runs_kept "published_$v.json" "$run/runhistory.json") || true
        [ "$missing" = 0 ] && [ "$changed" = 0 ] \
            && pass "run $v: all $total published runs are in the restored history" \
            || fail "run $v: $missing of $total published runs lost, $changed changed"
        fin=$(finished_runs "$run/stats.json")
        got=$(count "$run/runhistory.json")
        # The history can hold one run more than the stats count: a kill between
        # saving runhistory.json and stats.json leaves that run uncounted, so it is
        # run again under another key.
        if [ "$fin" = "$budget" ] && [ "$got" -ge "$budget" ] && [ "$got" -le $((budget + 1)) ]; then
            pass "run $v: restored and continued to the budget ($fin finished, $got runs)"
        else
            fail "run $v: after the restore $fin finished runs and $got runs, expected $budget"
        fi
        grep -q "Restored [0-9]* runs" "restore_$v.txt" || fail "run $v: no 'Restored' line"
        restored=$((restored + 1))
    else
        fail "run $v: --restore_state failed"; tail -5 "restore_$v.txt"
    fi
done
echo "killed ${#victims[@]} run(s) (${victims[*]}), restored $restored"
for i in $(seq 1 $n); do
    case " ${victims[*]} " in *" $i "*) continue ;; esac
    [ "$(finished_runs "out_$i/run_$i/stats.json")" = "$budget" ] && pass "run $i (not killed) finished its budget" \
        || fail "run $i (not killed) did not finish its budget"
done

# 2. A killed run without save_results_instantly has no stats.json: SMAC3 v1.1
#    cannot restore it either. Its published runs must still be readable by others.
"$smac" --scenario scenario.txt --seed 9 --shared_model True --input_psmac_dirs 'nosave_*' \
    --output_dir nosave_9 > log_9.txt 2>&1 &
p=$!
pids=("$p")
sleep 1
kill -9 "$p" 2>/dev/null || true
{ wait "$p"; } 2>/dev/null || true
pids=()
if [ -s nosave_9/run_9/runhistory.json ]; then
    if timeout -s KILL 240 "$smac" --scenario scenario.txt --seed 10 --shared_model True --input_psmac_dirs 'nosave_*' \
            --output_dir nosave_10 --runcount_limit 3 --verbose DEBUG > log_10.txt 2>&1 &&
       grep -qE "Loaded [1-9][0-9]* new runs from nosave_9/run_9/runhistory\.(json|journal)" log_10.txt; then
        pass "a killed run's last published file is read by a new peer"
    else
        fail "a new peer did not load the killed run's runhistory.json"
    fi
    if [ -e nosave_9/run_9/stats.json ]; then
        echo "note: the killed run finished before the kill; restore without save_results_instantly not exercised"
    elif "$smac" --scenario scenario.txt --seed 9 --output_dir nosave_r --restore_state nosave_9/run_9 > log_r.txt 2>&1; then
        read -r missing changed total < <(runs_kept nosave_9/run_9/runhistory.json nosave_r/run_9/runhistory.json) || true
        [ "$missing" = 0 ] && pass "restore without stats.json keeps the $total published runs" \
            || fail "restore without stats.json lost $missing of $total runs"
    else
        echo "note (known gap): --restore_state of a run killed without save_results_instantly: $(tail -1 log_r.txt)"
    fi
else
    echo "note: the run without instant saves was killed before it published anything"
fi

# 3. A member of a --mode PSMAC group killed: the group says so, still reports an
#    incumbent from what was saved, and the member can be restored.
"$smac" --scenario scenario.txt --mode PSMAC --n_optimizers 3 --seed 21 \
    --output_dir grp --save_results_instantly True > grp.txt 2>&1 &
g=$!
pids=("$g")
watchdog "$g"
victim=""
members=""
for _ in $(seq 1 100); do # the members appear within a few seconds
    members=$(pgrep -P "$g" -x smac || true)
    [ "$(echo "$members" | grep -c . || true)" = 3 ] && break
    sleep 0.1
done
sleep "0.$((3 + RANDOM % 6))"
member=$(echo "$members" | sed -n "$((RANDOM % 3 + 1))p")
if [ -n "$member" ]; then
    victim=$(tr '\0' ' ' < "/proc/$member/cmdline" 2>/dev/null | sed -n 's/.*--seed \([0-9]*\) .*/\1/p' || true)
    kill -9 "$member" 2>/dev/null || true
fi
status=0
wait "$g" || status=$?
wait_killers
pids=()
if [ -z "$victim" ]; then
    fail "PSMAC group: could not find a member process to kill"
else
    if [ "$status" != 0 ] && grep -q "seed $victim was killed by signal 9" grp.txt &&
       grep -q "PSMAC: group incumbent" grp.txt; then
        pass "PSMAC group: member $victim killed, reported, group incumbent still named"
    elif grep -q "seed $victim was killed" grp.txt; then
        fail "PSMAC group: exit status $status after a member was killed, or no group incumbent"; tail -5 grp.txt
    else
        echo "note: member $victim finished before the kill (exit status $status)"
    fi
    if [ -s "grp/run_$victim/stats.json" ] && ! grep -q '"finished_ta_runs": '"$budget" "grp/run_$victim/stats.json"; then
        cp "grp/run_$victim/runhistory.json" grp_published.json
        if "$smac" --scenario scenario.txt --seed "$victim" --output_dir grp --shared_model True \
                --input_psmac_dirs 'grp/run_*' --restore_state "grp/run_$victim" > grp_restore.txt 2>&1; then
            read -r missing changed total < <(runs_kept grp_published.json "grp/run_$victim/runhistory.json") || true
            [ "$missing" = 0 ] && [ "$(finished_runs "grp/run_$victim/stats.json")" = "$budget" ] \
                && pass "PSMAC group: the killed member restored to its budget, $total published runs kept" \
                || fail "PSMAC group: restored member lost $missing runs or missed its budget"
        else
            fail "PSMAC group: restoring the killed member failed"; tail -3 grp_restore.txt
        fi
    fi
fi

# 4. SIGTERM to a group is passed on: every member stops cleanly and saves.
"$smac" --scenario scenario.txt --mode PSMAC --n_optimizers 2 --seed 31 \
    --output_dir term --runcount_limit 100000 > term.txt 2>&1 &
g=$!
pids=("$g")
watchdog "$g"
for _ in $(seq 1 100); do
    [ -s term/run_31/runhistory.json ] && [ -s term/run_32/runhistory.json ] && break
    sleep 0.1
done
kill -TERM "$g"
status=0
wait "$g" || status=$?
wait_killers
pids=()
saved=0
for s in 31 32; do [ -s "term/run_$s/stats.json" ] && saved=$((saved + 1)); done
leftover=$(pgrep -f -- "--output_dir term" || true)
if [ "$status" != 0 ] && [ "$saved" = 2 ] && [ -z "$leftover" ] && grep -q "passing it on" term.txt; then
    pass "SIGTERM to a group: both members stopped cleanly and saved"
else
    fail "SIGTERM to a group: status $status, $saved members saved stats.json, left running: '$leftover'"
    tail -5 term.txt
    [ -n "$leftover" ] && kill -9 $leftover 2>/dev/null
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
