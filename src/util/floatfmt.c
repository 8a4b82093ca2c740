/* repr(float) (see floatfmt.h). The shortest round-trip digits are found by
 * trying precisions 1..17 with %.*e and reading each back with strtod; the
 * digits are then laid out the way Python does: positional notation when the
 * decimal exponent is in [-4, 16), scientific otherwise. */
#include "util/floatfmt.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Shortest digits: fills `digits` (no dot, no sign) and returns the decimal
 * exponent of the first digit. */
static int shortest_digits(double x, char *digits, size_t cap)
{
    char tmp[40];
    /* For a normal double, decimals of 15 significant digits are spaced more
     * widely than its ulp, so at most one of them reads back to x: if the
     * correctly rounded one does, the shortest text is it without trailing
     * zeros. Otherwise the answer has 16 or 17 digits. Three tries instead of
     * up to seventeen; subnormals take the plain search. */
    int found = 0;
    if (x >= DBL_MIN)
        for (int prec = 14; prec <= 16 && !found; prec++) {
            snprintf(tmp, sizeof tmp, "%.*e", prec, x);
            found = strtod(tmp, NULL) == x;
        }
    for (int prec = 0; prec < 17 && !found; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec, x);
        found = strtod(tmp, NULL) == x;
    }
    /* tmp is "d.ddddde[+-]XX" (x > 0 here). */
    size_t n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p) && n + 1 < cap)
            digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    return atoi(p + 1);
}

int smac_format_double(double x, char buf[SMAC_DOUBLE_TEXT])
{
    if (isnan(x))
        return snprintf(buf, SMAC_DOUBLE_TEXT, "nan");
    if (isinf(x))
        return snprintf(buf, SMAC_DOUBLE_TEXT, x > 0 ? "inf" : "-inf");
    if (x == 0.0)
        return snprintf(buf, SMAC_DOUBLE_TEXT, signbit(x) ? "-0.0" : "0.0");
    char digits[24];
    char *out = buf;
    if (x < 0) {
        *out++ = '-';
        x = -x;
    }
    int exp10 = shortest_digits(x, digits, sizeof digits);
    int nd = (int)strlen(digits);
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            out += sprintf(out, "0.");
            for (int i = 0; i < -exp10 - 1; i++)
                *out++ = '0';
            out += sprintf(out, "%s", digits);
        } else if (nd <= exp10 + 1) {
            out += sprintf(out, "%s", digits);
            for (int i = nd; i < exp10 + 1; i++)
                *out++ = '0';
            out += sprintf(out, ".0");
        } else {
            memcpy(out, digits, (size_t)exp10 + 1);
            out += exp10 + 1;
            *out++ = '.';
            out += sprintf(out, "%s", digits + exp10 + 1);
        }
    } else {
        *out++ = digits[0];
        if (nd > 1) {
            *out++ = '.';
            out += sprintf(out, "%s", digits + 1);
        }
        out += sprintf(out, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    }
    *out = '\0';
    return (int)(out - buf);
}

int smac_format_double_json(double x, char buf[SMAC_DOUBLE_TEXT])
{
    if (isnan(x))
        return snprintf(buf, SMAC_DOUBLE_TEXT, "NaN");
    if (isinf(x))
        return snprintf(buf, SMAC_DOUBLE_TEXT, x > 0 ? "Infinity" : "-Infinity");
    return smac_format_double(x, buf);
}

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

int smac_parse_double(const char *text, double *out)
{
    const char *s = skip_space(text);
    if (!*s)
        return -1;
    /* strtod also takes hex floats and "infinity"; Python's float() takes the
     * latter too, but not hex: refuse "0x..." to stay with what SMAC3 reads. */
    const char *digits = s + (*s == '+' || *s == '-');
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return -1;
    if (*skip_space(end))
        return -1;
    if (errno == ERANGE && fabs(v) < 1.0)
        errno = 0; /* underflow to a denormal or 0 is what Python gives too */
    *out = v;
    return 0;
}

int smac_parse_long(const char *text, long long *out)
{
    const char *s = skip_space(text);
    if (!*s)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno == ERANGE || *skip_space(end))
        return -1;
    *out = v;
    return 0;
}
