#!/bin/sh
# Four fields instead of five or six: SMAC3 raises, the run is CRASHED.
echo "Result of this algorithm run: SUCCESS, 1, 0, 2"
