#!/bin/sh
# Dies half-way through its result line.
echo "working"
printf 'Result of this algorithm run: SUC'
exit 1
