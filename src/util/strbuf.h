/* A growable text buffer for writers (JSON, PCS, run histories). Allocation
 * failure is sticky: the buffer remembers it and smac_strbuf_take returns NULL. */
#ifndef SMAC_UTIL_STRBUF_H
#define SMAC_UTIL_STRBUF_H

#include <stddef.h>
#include "util/error.h"

typedef struct smac_strbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} smac_strbuf;

void smac_strbuf_init(smac_strbuf *sb);
void smac_strbuf_free(smac_strbuf *sb);
void smac_strbuf_clear(smac_strbuf *sb); /* keeps the memory */
void smac_strbuf_append(smac_strbuf *sb, const char *s, size_t n);
void smac_strbuf_puts(smac_strbuf *sb, const char *s);
void smac_strbuf_putc(smac_strbuf *sb, char c);
void smac_strbuf_printf(smac_strbuf *sb, const char *fmt, ...) SMAC_PRINTF(2, 3);
/* Appends repr(x) (floatfmt.h); json = 1 uses Infinity/NaN spellings. */
void smac_strbuf_double(smac_strbuf *sb, double x, int json);
/* Appends s as a JSON string literal, escaping as Python's json does
 * (ensure_ascii: non-ASCII as \uXXXX, surrogate pairs above U+FFFF). */
void smac_strbuf_json_string(smac_strbuf *sb, const char *s);
/* Hands the NUL-terminated text to the caller (NULL if an allocation failed). */
char *smac_strbuf_take(smac_strbuf *sb);

#endif
