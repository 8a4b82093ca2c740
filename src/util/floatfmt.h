/* Python's repr(float) in C: the shortest text that reads back to the same
 * double, with Python's layout (spec formats.md §0). Configuration identity
 * across processes depends on this being exact. */
#ifndef SMAC_UTIL_FLOATFMT_H
#define SMAC_UTIL_FLOATFMT_H

#include <stddef.h>

/* Largest text smac_format_double can produce, with the NUL. */
#define SMAC_DOUBLE_TEXT 32

/* Writes repr(x) into buf: "0.1", "5.0", "1e-05", "1e+16", "inf", "-inf",
 * "nan". `json` = 1 writes Python json's spellings of non-finite values
 * ("Infinity", "-Infinity", "NaN"). Returns the length. */
int smac_format_double(double x, char buf[SMAC_DOUBLE_TEXT]);
int smac_format_double_json(double x, char buf[SMAC_DOUBLE_TEXT]);

/* Strict float parse of a whole string (leading/trailing spaces allowed);
 * accepts what Python's float() accepts, including inf/nan/Infinity. */
int smac_parse_double(const char *text, double *out);
/* Strict integer parse of a whole string; 0 on success. */
int smac_parse_long(const char *text, long long *out);

#endif
