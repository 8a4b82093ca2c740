/* Error values (see error.h). Messages are truncated, never overflowed. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void smac_error_clear(smac_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static void format_location(char *buf, size_t n, const char *file, int line, int col)
{
    if (line > 0 && col > 0)
        snprintf(buf, n, "%s:%d:%d: ", file, line, col);
    else if (line > 0)
        snprintf(buf, n, "%s:%d: ", file, line);
    else
        snprintf(buf, n, "%s: ", file);
}

/* dst = a + b, truncated to fit (messages may be cut, never overflowed). */
static void join_truncated(char *dst, size_t n, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > n - 1)
        la = n - 1;
    if (lb > n - 1 - la)
        lb = n - 1 - la;
    memmove(dst, a, la);
    memmove(dst + la, b, lb);
    dst[la + lb] = '\0';
}

int smac_error_set(smac_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    smac_error_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int smac_error_set_at(smac_error *err, int code, const char *file, int line, int col,
                      const char *fmt, ...)
{
    if (!err)
        return code;
    smac_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = col;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    char text[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char loc[600];
    format_location(loc, sizeof loc, err->file, line, col);
    join_truncated(err->message, sizeof err->message, loc, text);
    return code;
}

int smac_error_locate(smac_error *err, const char *file, int line, int col)
{
    if (!err)
        return 0;
    if (err->file[0] || err->line)
        return err->code;
    char text[sizeof err->message];
    snprintf(text, sizeof text, "%s", err->message);
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = col;
    char loc[600];
    format_location(loc, sizeof loc, err->file, line, col);
    join_truncated(err->message, sizeof err->message, loc, text);
    return err->code;
}
