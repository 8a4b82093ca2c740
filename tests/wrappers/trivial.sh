#!/bin/sh
# As cheap as a target can be.
echo "Result of this algorithm run: SUCCESS, 0.01, 0, 1, 0"
