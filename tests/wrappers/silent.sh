#!/bin/sh
# Says nothing and exits 0.
exit 0
