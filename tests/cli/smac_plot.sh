#!/usr/bin/env bash
# End-to-end tests of `smac-plot` (tools/smac_plot.c): two short runs of the
# branin example, plotted from a run folder and from their output folder,
# on each x axis and with --log; then bad input (missing or garbled
# traj.json, --log with a cost of 0, usage errors). Usage: smac_plot.sh
# BUILD_DIR. The SVGs are checked with python3's XML parser when python3 is
# there (otherwise with grep alone).
# shellcheck disable=SC2015  # "check && pass || fail": pass only prints
set -euo pipefail

smac="$1/smac"
plot="$1/smac-plot"
src="${SMAC_SOURCE_DIR:?SMAC_SOURCE_DIR must name the source folder}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

for exe in "$smac" "$plot"; do
    [ -x "$exe" ] || { echo "FAIL: $exe not built" >&2; exit 1; }
done

have_python=0
command -v python3 > /dev/null 2>&1 && have_python=1
[ $have_python = 1 ] || echo "note: no python3, the SVGs are checked with grep only"

# svg_check FILE N_LINES LABEL...: FILE is well-formed XML with N_LINES
# polylines (one per run) and a text element for each LABEL.
svg_check() {
    local file=$1 want=$2
    shift 2
    [ -s "$file" ] || { fail "$file was not written"; return 1; }
    if [ $have_python = 1 ]; then
        local out
        if ! out=$(python3 - "$file" "$want" "$@" 2>&1 <<'EOF'
import sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg", "root element is " + root.tag
lines = root.findall(".//" + ns + "polyline")
assert len(lines) == int(sys.argv[2]), "%d polylines, expected %s" % (len(lines), sys.argv[2])
for line in lines:
    pts = line.get("points").split()
    assert len(pts) >= 2, "a line with fewer than 2 points"
    for p in pts:
        x, y = map(float, p.split(","))
        assert 80 - 0.01 <= x <= 600 + 0.01 and 50 - 0.01 <= y <= 440 + 0.01, "point %s outside the axes" % p
texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
for label in sys.argv[3:]:
    assert any(label == t or label in t.split() for t in texts), "no legend text " + label
assert len(root.findall(".//" + ns + "circle")) > 0, "no markers"
EOF
        ); then
            fail "$file: $out"
            return 1
        fi
    else
        local n
        n=$(grep -c '<polyline' "$file" || true)
        [ "$n" = "$want" ] || { fail "$file: $n polylines, expected $want"; return 1; }
        for label in "$@"; do
            grep -q ">$label<" "$file" || { fail "$file: no legend text $label"; return 1; }
        done
    fi
}

# run EXPECTED_STATUS ARGS...: runs smac-plot in $work, output in $work/out.txt and $work/err.txt.
run() {
    local want=$1 got=0
    shift
    (cd "$work" && "$plot" "$@") > "$work/out.txt" 2> "$work/err.txt" || got=$?
    if [ "$got" != "$want" ]; then
        fail "smac-plot $* exited $got, expected $want; stderr: $(head -c 400 "$work/err.txt")"
        return 1
    fi
}

# ------------------------------------------------------------ two runs of the example
cd "$src/examples/branin"
for seed in 1 2; do
    if ! "$smac" --scenario scenario.txt --seed $seed --runcount_limit 40 --output_dir "$work/out" \
        > "$work/smac$seed.log" 2>&1; then
        echo "FAIL: smac --seed $seed did not finish:" >&2
        tail -n 20 "$work/smac$seed.log" >&2
        exit 1
    fi
done
cd "$work"
[ -s out/run_1/traj.json ] && [ -s out/run_2/traj.json ] || { echo "FAIL: no traj.json written" >&2; exit 1; }

# A run folder: one line, its name in the legend, a summary on stdout.
if run 0 -o one.svg out/run_1; then
    svg_check one.svg 1 run_1 && pass "run folder: one line, legend run_1"
    grep -q '^out/run_1: final cost [0-9.e+-]*, [0-9]* incumbents\? ([0-9]* changes\?), last at wallclock' out.txt \
        && pass "run folder: summary line" || fail "run folder: summary: $(cat out.txt)"
    grep -q '^Wrote one.svg (1 run' out.txt || fail "run folder: no 'Wrote one.svg' line"
fi

# The output folder: every run_* in it, in order.
if run 0 -o all.svg --title 'Branin & friends <2 seeds>' out; then
    svg_check all.svg 2 run_1 run_2 && pass "output folder: two lines, legend run_1 and run_2"
    grep -q 'stroke-dasharray\|<polyline[^>]*#1f77b4' all.svg || fail "output folder: first run not in the first colour"
    grep -q 'Branin &amp; friends &lt;2 seeds&gt;' all.svg && pass "--title escaped" || fail "--title not in the SVG"
    [ "$(grep -c ': final cost' out.txt)" = 2 ] || fail "output folder: expected 2 summary lines"
fi

# The same run named twice is drawn once; the default output file name.
if run 0 out out/run_2/; then
    svg_check smac-plot.svg 2 run_1 run_2 && pass "duplicate folder dropped, default smac-plot.svg"
fi

# --log and the other x axes.
if run 0 -o log.svg --log out; then
    svg_check log.svg 2 run_1 run_2 &&
        { grep -q 'log scale' log.svg && pass "--log" || fail "--log: no log axis title"; }
fi
if run 0 -o evals.svg --x evaluations out/run_1 out/run_2; then
    svg_check evals.svg 2 run_1 run_2 && { grep -q 'finished target runs' evals.svg &&
        grep -q 'last at evaluations [0-9]' out.txt && pass "--x evaluations" ||
        fail "--x evaluations: $(cat out.txt)"; }
fi
if run 0 -o cpu.svg --x cpu out; then
    svg_check cpu.svg 2 && pass "--x cpu"
fi

# Two folders both called run_1: the legend says which is which. Odd
# characters in folder names still give well-formed XML.
mkdir -p 'a&<b>' && cp -r out/run_1 'a&<b>/run_1'
if run 0 -o twins.svg out/run_1 'a&<b>/run_1'; then
    svg_check twins.svg 2 'out/run_1' 'a&<b>/run_1' && pass "same-named runs labelled parent/run_1"
fi

# ------------------------------------------------------------ bad input
mkdir empty
if run 1 -o bad.svg empty; then
    grep -q 'empty/traj.json' err.txt && pass "no traj.json: exit 1, file named" || fail "no traj.json: $(cat err.txt)"
fi
mkdir -p grp/run_1 && cp out/run_1/traj.json grp/run_1/ && mkdir grp/run_2
if run 1 -o bad.svg grp; then
    grep -q 'grp/run_2/traj.json' err.txt && pass "group member without traj.json: exit 1, file named" \
        || fail "member without traj.json: $(cat err.txt)"
fi
if run 1 -o bad.svg does-not-exist; then
    grep -q 'does-not-exist' err.txt || fail "missing folder: $(cat err.txt)"
fi
mkdir garbled && cp out/run_1/traj.json garbled/
n=$(($(wc -l < garbled/traj.json) + 1))
printf '{"cpu_time": 1.0, "wallclock_time": 2.0, "evaluations": 3, "cost": 0.5, "incumb\n' >> garbled/traj.json
if run 1 -o bad.svg garbled; then
    grep -q "garbled/traj.json:$n:" err.txt && pass "garbled line: exit 1, file and line $n named" \
        || fail "garbled line: $(cat err.txt)"
fi
mkdir nocost && printf '{"cpu_time": 0, "wallclock_time": 1, "evaluations": 1, "incumbent": {}}\n' > nocost/traj.json
if run 1 -o bad.svg nocost; then
    grep -q 'nocost/traj.json:1: no numeric "cost"' err.txt && pass "entry without cost: exit 1" \
        || fail "entry without cost: $(cat err.txt)"
fi
[ ! -e bad.svg ] || fail "a failed plot wrote bad.svg"

# --log refuses a cost of 0 (a plain plot of the same run works).
entry='{"cpu_time": %s, "wallclock_time": %s, "evaluations": %s, "cost": %s, "incumbent": {"x": 1}, '
entry+='"budget": 0, "origin": "Default"}\n'
mkdir zero
# shellcheck disable=SC2059  # the format is ours
printf "$entry$entry$entry" 0.0 0.01 0 2147483648 1.0 0.5 1 3.5 2.0 1.5 2 0 > zero/traj.json
if run 1 -o zero.svg --log zero; then
    grep -q -- '--log' err.txt && grep -q 'zero/traj.json:3' err.txt && pass "--log with cost 0 refused" \
        || fail "--log with cost 0: $(cat err.txt)"
fi
if run 0 -o zero.svg zero; then
    svg_check zero.svg 1 zero &&
        { grep -q '^zero: final cost 0.0, 2 incumbents (1 change), last at wallclock 1.5' out.txt \
        && pass "placeholder skipped, hand-written run plotted" || fail "zero: $(cat out.txt)"; }
fi

# Usage errors exit 2 with the usage on stderr.
for args in "" "--x" "--x seconds out" "--bogus out" "-o"; do
    # shellcheck disable=SC2086  # word splitting is the point
    if run 2 $args; then
        grep -q '^usage: smac-plot' err.txt || fail "'$args': no usage message"
    fi
done
run 0 --help && grep -q '^usage: smac-plot' out.txt || fail "--help prints the usage"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all smac-plot checks passed"
