#!/bin/sh
# A well-behaved target speaking AClib2: the JSON result echoes the arguments.
echo "aclib target starting"
echo "Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": 2.5, \"runtime\": 0.75, \"misc\": \"$*\", \"n\": 3}"
