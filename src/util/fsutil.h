/* File helpers: whole-file reads and crash-safe writes. */
#ifndef SMAC_UTIL_FSUTIL_H
#define SMAC_UTIL_FSUTIL_H

#include <stddef.h>
#include "smac.h"

/* Reads a whole file into a malloc'd, NUL-terminated buffer (*len excludes the NUL). */
int smac_read_file(const char *path, char **out, size_t *len, smac_error *err);

/* Writes `len` bytes to `path` so that readers see either the old or the new
 * content, never a mix: temp file in the same folder, write, fsync, rename,
 * fsync of the folder. */
int smac_atomic_write(const char *path, const void *data, size_t len, smac_error *err);

/* mkdir -p. */
int smac_mkdirs(const char *path, smac_error *err);

#endif
