#!/bin/sh
# Reports its result, then hangs ignoring SIGTERM: the result must still count.
trap '' TERM
echo "Result for SMAC: SUCCESS, 0.2, 0, 4.5, 0"
while :; do sleep 1; done
