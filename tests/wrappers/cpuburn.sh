#!/bin/sh
# Burns CPU forever.
exec awk 'BEGIN { while (1) x++ }'
