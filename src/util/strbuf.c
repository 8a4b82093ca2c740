#include "util/strbuf.h"
#include "util/floatfmt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void smac_strbuf_init(smac_strbuf *sb) { memset(sb, 0, sizeof *sb); }

void smac_strbuf_free(smac_strbuf *sb)
{
    free(sb->data);
    memset(sb, 0, sizeof *sb);
}

void smac_strbuf_clear(smac_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

static int reserve(smac_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return -1;
    if (sb->len + extra + 1 <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        sb->failed = 1;
        return -1;
    }
    sb->data = p;
    sb->cap = cap;
    return 0;
}

void smac_strbuf_append(smac_strbuf *sb, const char *s, size_t n)
{
    if (reserve(sb, n) != 0)
        return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void smac_strbuf_puts(smac_strbuf *sb, const char *s) { smac_strbuf_append(sb, s, strlen(s)); }
void smac_strbuf_putc(smac_strbuf *sb, char c) { smac_strbuf_append(sb, &c, 1); }

void smac_strbuf_printf(smac_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(sb, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void smac_strbuf_double(smac_strbuf *sb, double x, int json)
{
    char buf[SMAC_DOUBLE_TEXT];
    int n = json ? smac_format_double_json(x, buf) : smac_format_double(x, buf);
    smac_strbuf_append(sb, buf, (size_t)n);
}

/* Decodes one UTF-8 sequence; invalid bytes decode as themselves (Latin-1). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (c >= 0xF8)
        extra = 0;
    uint32_t cp = extra == 3 ? (c & 0x07) : extra == 2 ? (c & 0x0F) : extra == 1 ? (c & 0x1F) : c;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return c;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p = s + 1 + extra;
    return cp;
}

void smac_strbuf_json_string(smac_strbuf *sb, const char *s)
{
    smac_strbuf_putc(sb, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == '"') { smac_strbuf_puts(sb, "\\\""); p++; continue; }
        if (c == '\\') { smac_strbuf_puts(sb, "\\\\"); p++; continue; }
        if (c == '\n') { smac_strbuf_puts(sb, "\\n"); p++; continue; }
        if (c == '\r') { smac_strbuf_puts(sb, "\\r"); p++; continue; }
        if (c == '\t') { smac_strbuf_puts(sb, "\\t"); p++; continue; }
        if (c == '\b') { smac_strbuf_puts(sb, "\\b"); p++; continue; }
        if (c == '\f') { smac_strbuf_puts(sb, "\\f"); p++; continue; }
        if (c < 0x20 || c == 0x7F) { smac_strbuf_printf(sb, "\\u%04x", c); p++; continue; }
        if (c < 0x80) { smac_strbuf_putc(sb, (char)c); p++; continue; }
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            smac_strbuf_printf(sb, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            smac_strbuf_printf(sb, "\\u%04x", cp);
        }
    }
    smac_strbuf_putc(sb, '"');
}

char *smac_strbuf_take(smac_strbuf *sb)
{
    if (sb->failed) {
        smac_strbuf_free(sb);
        return NULL;
    }
    if (!sb->data && reserve(sb, 0) != 0)
        return NULL;
    if (sb->len == 0)
        sb->data[0] = '\0';
    char *p = sb->data;
    memset(sb, 0, sizeof *sb);
    return p;
}
