#!/bin/sh
# Never finishes and ignores SIGTERM (so do its sleep children): only SIGKILL ends it.
trap '' TERM
echo "hanging"
while :; do sleep 1; done
