#!/bin/sh
# Example target speaking SMAC's "old" wrapper protocol:
#   branin.sh <instance> <instance_specific> <cutoff> <runlength> <seed> -x1 V -x2 V
# The instance file holds an offset "dx dy"; the cost is branin(x1 - dx, x2 - dy).
exec awk -v inst="$1" -v seed="$5" '
BEGIN {
    x1 = 2.5; x2 = 7.5
    for (i = 6; i < ARGC; i += 2) {
        if (ARGV[i] == "-x1") x1 = ARGV[i + 1] + 0
        else if (ARGV[i] == "-x2") x2 = ARGV[i + 1] + 0
        else { print "Result of this algorithm run: ABORT, 0, 0, 0, " seed; exit 0 }
    }
    ARGC = 1
    dx = 0; dy = 0
    if ((getline line < inst) > 0) { split(line, d, " "); dx = d[1]; dy = d[2] }
    x = x1 - dx; y = x2 - dy
    pi = atan2(0, -1)
    b = 5.1 / (4 * pi * pi); c = 5 / pi; t = 1 / (8 * pi)
    f = (y - b * x * x + c * x - 6) ^ 2 + 10 * (1 - t) * cos(x) + 10
    printf "Result of this algorithm run: SUCCESS, 0.001, 0, %.10g, %s\n", f, seed
}' "$@"
