#!/bin/sh
# Takes 0.5 s, then succeeds.
sleep 0.5
echo "Result of this algorithm run: SUCCESS, 0.5, 0, 1, 0"
