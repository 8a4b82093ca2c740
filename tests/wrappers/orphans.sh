#!/bin/sh
# Leaves processes behind and exits: one in its own process group, one in a
# new session (with a child), one re-parented when its parent subshell ends.
# Every pid goes to the file given as instance ($1).
pidfile=$1
sleep 1000 &
echo $! >> "$pidfile"
setsid sh -c 'echo $$ >> "$1"; sleep 1000 & echo $! >> "$1"; wait' orphan-session "$pidfile" &
( sleep 1000 & echo $! >> "$pidfile" ) &
# Until all four pids are written.
i=0
while [ "$(wc -l < "$pidfile")" -lt 4 ] && [ $i -lt 200 ]; do sleep 0.01; i=$((i + 1)); done
echo "Result of this algorithm run: SUCCESS, 0.1, 0, 1, 0"
