/*
 * repr(float) for the run-history writer: the same text as util's
 * smac_format_double_json (Python's shortest round-trip digits and layout),
 * with one printf conversion instead of up to seventeen printf + strtod
 * pairs. A file of 10,000 runs holds ~100,000 such numbers and pSMAC writes
 * it after every iteration: this is the writer's hot path.
 *
 * Why it finds the same digits: 15-digit decimals are spaced more widely
 * than one ulp, so at most one of them reads back to x; if the correctly
 * rounded 15-digit decimal reads back, it is the shortest text padded with
 * zeros. Otherwise the shortest has 16 digits (if the correctly rounded
 * 16-digit decimal reads back) or 17 (which always does) - exactly what
 * trying every precision from 1 up finds. The 15- and 16-digit roundings
 * are derived from the exact 17-digit one, which is safe unless the dropped
 * digits are exactly 5 or 50 (x may lie on either side of that tie: then
 * printf is asked again); reading back uses the reader's exact conversion.
 * (A candidate for util/floatfmt.c, which then could serve both.)
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runhistory/rh_internal.h"
#include "runhistory/rh_json_lex.h"
#include "util/floatfmt.h"

/* d.ddd...e[+-]XX from printf: its digits and decimal exponent. */
static int split_e(const char *t, char *digits, int *exp10)
{
    int nd = 0;
    const char *p = t;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    *exp10 = atoi(p + 1);
    return nd;
}

/* 1 if the nd digits with exponent exp10 read back to ax. */
static int reads_back(const char *digits, int nd, int exp10, double ax)
{
    uint64_t mant = 0;
    for (int i = 0; i < nd; i++)
        mant = mant * 10 + (uint64_t)(digits[i] - '0');
    double v;
    if (rh_decimal_to_double(mant, (long)exp10 - (nd - 1), &v) != 0) {
        char t[40];
        snprintf(t, sizeof t, "%.*se%d", nd, digits, exp10 - (nd - 1));
        v = strtod(t, NULL);
    }
    return v == ax;
}

/* The correctly rounded nd-digit decimal of ax into out (may carry into a
 * new leading digit, then *exp10 grows). */
static void rounded(const char *d17, int exp17, int nd, double ax, char *out, int *exp10)
{
    int tie = d17[nd] == '5';
    for (int i = nd + 1; i < 17 && tie; i++)
        tie = d17[i] == '0';
    if (tie) {
        char t[40];
        snprintf(t, sizeof t, "%.*e", nd - 1, ax);
        split_e(t, out, exp10);
        return;
    }
    memcpy(out, d17, (size_t)nd);
    *exp10 = exp17;
    if (d17[nd] < '5')
        return;
    int i = nd - 1;
    while (i >= 0 && out[i] == '9')
        out[i--] = '0';
    if (i >= 0) {
        out[i]++;
    } else {
        out[0] = '1'; /* 99...9 -> 100...0 */
        (*exp10)++;
    }
}

int rh_repr_double(double x, char *buf)
{
    /* Subnormals have ulps wider than 15-digit spacing: the argument above
     * does not hold for them (nor do they occur in run histories). */
    if (!isfinite(x) || fabs(x) < DBL_MIN)
        return smac_format_double_json(x, buf);
    double ax = fabs(x);
    char t[40], d17[24], digits[24];
    snprintf(t, sizeof t, "%.16e", ax);
    int exp17, exp10 = 0, nd = 0;
    split_e(t, d17, &exp17);
    for (int n = 15; n <= 16 && nd == 0; n++) {
        rounded(d17, exp17, n, ax, digits, &exp10);
        if (reads_back(digits, n, exp10, ax))
            nd = n;
    }
    if (nd == 0) {
        memcpy(digits, d17, 17);
        nd = 17;
        exp10 = exp17;
    }
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;

    /* Python's layout: positional for exponents in [-4, 16), else d.ddde+XX. */
    char *o = buf;
    if (x < 0)
        *o++ = '-';
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -exp10 - 1; i++)
                *o++ = '0';
            memcpy(o, digits, (size_t)nd);
            o += nd;
        } else if (nd <= exp10 + 1) {
            memcpy(o, digits, (size_t)nd);
            o += nd;
            for (int i = nd; i < exp10 + 1; i++)
                *o++ = '0';
            *o++ = '.';
            *o++ = '0';
        } else {
            memcpy(o, digits, (size_t)exp10 + 1);
            o += exp10 + 1;
            *o++ = '.';
            memcpy(o, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            o += nd - exp10 - 1;
        }
    } else {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        o += snprintf(o, 8, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    }
    *o = '\0';
    return (int)(o - buf);
}
