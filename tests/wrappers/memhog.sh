#!/bin/sh
# Allocates 2 GiB (fails under a memory limit with MemoryError).
exec python3 -c 'x = bytearray(1 << 31); print("Result of this algorithm run: SUCCESS, 1, 0, 1, 0")'
