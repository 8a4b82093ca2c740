#!/bin/sh
# A well-behaved target (old convention). The 6th result field echoes all
# its arguments, so tests can check the argument vector it was given.
echo "good target starting"
echo "a line on stderr" >&2
echo "Result of this algorithm run: SUCCESS, 0.5, 0, 1.25, $5, args=$*"
