#!/bin/sh
# 50 MB on stdout (and some on stderr) before the result line.
yes 'flood flood flood flood flood flood flood flood flood flood flood flood' | head -c 50000000
echo
yes 'err err err err' | head -c 1000000 >&2
echo "Result of this algorithm run: SUCCESS, 0.25, 0, 3.5, 1"
