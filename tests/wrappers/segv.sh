#!/bin/sh
# Killed by a signal before any result.
echo "about to crash"
kill -SEGV $$
sleep 5
