/* Error values: fill a caller's smac_error with a message and, where the input
 * has them, a file:line:column location. All helpers accept err == NULL. */
#ifndef SMAC_UTIL_ERROR_H
#define SMAC_UTIL_ERROR_H

#include "smac.h"

#if defined(__GNUC__)
#define SMAC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SMAC_PRINTF(a, b)
#endif

void smac_error_clear(smac_error *err);
/* Sets code and message (no location); returns code so callers can `return smac_error_set(...)`. */
int smac_error_set(smac_error *err, int code, const char *fmt, ...) SMAC_PRINTF(3, 4);
/* Sets code, location and message; message becomes "file:line:col: text"
 * (":col" omitted when col is 0, ":line" too when line is 0). */
int smac_error_set_at(smac_error *err, int code, const char *file, int line, int col,
                      const char *fmt, ...) SMAC_PRINTF(6, 7);
/* Adds a location to an error that has none yet (keeps an existing one). */
int smac_error_locate(smac_error *err, const char *file, int line, int col);

#endif
