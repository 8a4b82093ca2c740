#!/bin/sh
# Binary junk, carriage returns and an unknown status word.
printf '\001\002\377\376junk\r\nmore junk\rResult for ParamILSx\n'
echo "Result of this algorithm run: banana, 1, 0, 2, 3"
