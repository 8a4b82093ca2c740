#!/bin/sh
# Stops itself: a stopped process only sees SIGTERM once continued.
echo "stopping"
kill -STOP $$
sleep 100
