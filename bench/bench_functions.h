/*
 * The synthetic objectives of the reference measurements
 * (shared/anchors/functions.py), for the optimiser benchmarks: Branin,
 * Hartmann6, Rosenbrock (any dimension, box [-5, 10]), Ackley (any
 * dimension, box [-32.768, 32.768], optionally shifted) and the "mixed"
 * space (3 reals, 2 integers, 2 categoricals, one condition). Same
 * domains, optima and parameter names as the anchors, so regrets can be set
 * beside theirs.
 *
 * Every bench source file is its own executable, so everything here is static
 * inline. A problem is a function plus the PCS text of its space; binding
 * it to the space read from that text maps the declared parameter order to
 * the space's canonical order once, and evaluation then decodes a unit
 * vector through the public API (smac_cs_value_text), exactly the values a
 * command-line target would be given.
 */
#ifndef SMAC_BENCH_FUNCTIONS_H
#define SMAC_BENCH_FUNCTIONS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smac.h"

#define BENCH_MAX_DIM 64

typedef enum bench_kind {
    BENCH_BRANIN,
    BENCH_HARTMANN6,
    BENCH_ROSENBROCK,
    BENCH_ACKLEY,
    BENCH_MIXED
} bench_kind;

typedef struct bench_problem {
    const char *name;   /* as in RESULTS.md: "branin", "rosenbrock10", ... */
    bench_kind kind;
    int dim;            /* declared parameters */
    double f_opt;       /* known minimum */
    int shifted;        /* Ackley only: optimum moved off the box centre */
} bench_problem;

/* Ackley's optimum is the centre of its box, which is also every space's
 * default configuration: an optimiser that evaluates the default first
 * scores 0 without optimising anything (RESULTS.md's caveat). The shifted
 * variant evaluates f(x - s) with s_i = (-1)^i (4 + 1.5 i): for 10-D
 * 4, -5.5, 7, -8.5, 10, -11.5, 13, -14.5, 16, -17.5 -- well inside the box,
 * the optimum (still 0) lies at x = s. */
static inline double bench_ackley_shift(int i) { return (i % 2 ? -1.0 : 1.0) * (4.0 + 1.5 * i); }

/* ------------------------------------------------------------ functions */

static inline double bench_branin(const double *x)
{
    const double pi = 3.14159265358979323846;
    double a = 1.0, b = 5.1 / (4 * pi * pi), c = 5.0 / pi, r = 6.0, s = 10.0, t = 1.0 / (8 * pi);
    double u = x[1] - b * x[0] * x[0] + c * x[0] - r;
    return a * u * u + s * (1 - t) * cos(x[0]) + s;
}

static inline double bench_hartmann6(const double *x)
{
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    static const double A[4][6] = {
        {10, 3, 17, 3.5, 1.7, 8},
        {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14},
    };
    static const double P[4][6] = {
        {1312, 1696, 5569, 124, 8283, 5886},
        {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650},
        {4047, 8828, 8732, 5743, 1091, 381},
    };
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        double inner = 0;
        for (int j = 0; j < 6; j++) {
            double d = x[j] - 1e-4 * P[i][j];
            inner += A[i][j] * d * d;
        }
        sum += alpha[i] * exp(-inner);
    }
    return -sum;
}

static inline double bench_rosenbrock(const double *x, int d)
{
    double s = 0;
    for (int i = 0; i + 1 < d; i++) {
        double u = x[i + 1] - x[i] * x[i], v = 1.0 - x[i];
        s += 100.0 * u * u + v * v;
    }
    return s;
}

static inline double bench_ackley(const double *x, int d, int shifted)
{
    const double pi = 3.14159265358979323846;
    double s1 = 0, s2 = 0;
    for (int i = 0; i < d; i++) {
        double xi = x[i] - (shifted ? bench_ackley_shift(i) : 0.0);
        s1 += xi * xi;
        s2 += cos(2 * pi * xi);
    }
    return -20.0 * exp(-0.2 * sqrt(s1 / d)) - exp(s2 / d) + 20.0 + exp(1.0);
}

/* x = (x1, x2, x3, i1, i2, c1, c2): categoricals as choice index
 * (c1: a b c, c2: u v w), c2 NaN when inactive. Optimum 0 at
 * (1, -2, 0.5, 3, 7, a, v). */
static inline double bench_mixed(const double *x)
{
    static const double c1_pen[3] = {0.0, 0.25, 1.5};
    static const double c2_pen[3] = {0.5, 0.0, 1.0};
    double d0 = x[0] - 1.0, d1 = x[1] + 2.0, d2 = x[2] - 0.5;
    double i1 = x[3], i2 = x[4];
    double val = d0 * d0 + d1 * d1 + d2 * d2;
    val += 0.2 * ((i1 - 3) * (i1 - 3) + (i2 - 7) * (i2 - 7)) + 0.1 * d0 * (i1 - 3);
    int c1 = (int)x[5];
    val += c1_pen[c1];
    if (c1 == 0)
        val += c2_pen[(int)x[6]];
    return val;
}

/* f at the declared-order values x (see bench_mixed for its layout). */
static inline double bench_eval(const bench_problem *p, const double *x)
{
    switch (p->kind) {
    case BENCH_BRANIN: return bench_branin(x);
    case BENCH_HARTMANN6: return bench_hartmann6(x);
    case BENCH_ROSENBROCK: return bench_rosenbrock(x, p->dim);
    case BENCH_ACKLEY: return bench_ackley(x, p->dim, p->shifted);
    case BENCH_MIXED: return bench_mixed(x);
    }
    return NAN;
}

/* The problems of RESULTS.md, in its column order. */
static inline bench_problem bench_problem_make(bench_kind kind, int dim)
{
    bench_problem p = {NULL, kind, dim, 0.0, 0};
    switch (kind) {
    case BENCH_BRANIN: p.name = "branin"; p.dim = 2; p.f_opt = 0.397887357729739; break;
    case BENCH_HARTMANN6: p.name = "hartmann6"; p.dim = 6; p.f_opt = -3.322368011391339; break;
    case BENCH_ROSENBROCK: p.name = dim == 5 ? "rosenbrock5" : dim == 10 ? "rosenbrock10" : "rosenbrock"; break;
    case BENCH_ACKLEY: p.name = "ackley10"; p.shifted = 1; break;
    case BENCH_MIXED: p.name = "mixed"; p.dim = 7; break;
    }
    return p;
}

/* -------------------------------------------------------------- spaces */

/* The space as pcs_new text (malloc'd; NULL when out of memory). Defaults
 * are ConfigSpace's (box centre, integer centre, first choice). */
static inline char *bench_pcs(const bench_problem *p)
{
    size_t cap = 128 + (size_t)p->dim * 64;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t n = 0;
#define BENCH_ADD(...) n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__)
    switch (p->kind) {
    case BENCH_BRANIN:
        BENCH_ADD("x0 real [-5.0, 10.0] [2.5]\nx1 real [0.0, 15.0] [7.5]\n");
        break;
    case BENCH_HARTMANN6:
        for (int i = 0; i < 6; i++)
            BENCH_ADD("x%d real [0.0, 1.0] [0.5]\n", i);
        break;
    case BENCH_ROSENBROCK:
        for (int i = 0; i < p->dim; i++)
            BENCH_ADD("x%d real [-5.0, 10.0] [2.5]\n", i);
        break;
    case BENCH_ACKLEY:
        for (int i = 0; i < p->dim; i++)
            BENCH_ADD("x%d real [-32.768, 32.768] [0.0]\n", i);
        break;
    case BENCH_MIXED:
        BENCH_ADD("x1 real [-5.0, 5.0] [0.0]\nx2 real [-5.0, 5.0] [0.0]\nx3 real [-5.0, 5.0] [0.0]\n"
                  "i1 integer [0, 10] [5]\ni2 integer [0, 10] [5]\n"
                  "c1 categorical {a, b, c} [a]\nc2 categorical {u, v, w} [u]\n"
                  "c2 | c1 == a\n");
        break;
    }
#undef BENCH_ADD
    if (n >= cap) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* A problem bound to its space: declared parameter j is the space's
 * parameter idx[j]. */
typedef struct bench_bound {
    bench_problem p;
    const smac_cs *cs;
    int idx[BENCH_MAX_DIM];
    int categorical[BENCH_MAX_DIM];
} bench_bound;

static inline const char *bench_declared_name(const bench_problem *p, int j, char *buf, size_t n)
{
    static const char *const mixed[7] = {"x1", "x2", "x3", "i1", "i2", "c1", "c2"};
    if (p->kind == BENCH_MIXED)
        return mixed[j];
    snprintf(buf, n, "x%d", j);
    return buf;
}

/* Reads the problem's space into *cs (the caller's to free or hand over)
 * and binds b to it. */
static inline int bench_bind(const bench_problem *p, smac_cs **cs, bench_bound *b, smac_error *err)
{
    if (p->dim < 1 || p->dim > BENCH_MAX_DIM) {
        snprintf(err->message, sizeof err->message, "%s: dimension %d out of range", p->name, p->dim);
        return err->code = SMAC_ERR_INVALID;
    }
    char *text = bench_pcs(p);
    if (!text) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return err->code = SMAC_ERR_NOMEM;
    }
    int rc = smac_cs_read_text(text, strlen(text), "bench.pcs", SMAC_CS_PCS_NEW, cs, err);
    free(text);
    if (rc != 0)
        return rc;
    b->p = *p;
    b->cs = *cs;
    for (int j = 0; j < p->dim; j++) {
        char name[16];
        b->idx[j] = smac_cs_param_index(*cs, bench_declared_name(p, j, name, sizeof name));
        if (b->idx[j] < 0) {
            snprintf(err->message, sizeof err->message, "%s: parameter %d missing from the space", p->name, j);
            smac_cs_free(*cs);
            *cs = NULL;
            return err->code = SMAC_ERR_INVALID;
        }
        b->categorical[j] = smac_cs_param_type(*cs, b->idx[j]) == SMAC_PARAM_CATEGORICAL;
    }
    return 0;
}

/* Decodes the unit vector into declared-order values (categoricals as
 * choice index, inactive as NaN). */
static inline void bench_decode(const bench_bound *b, const double *config, double *x)
{
    for (int j = 0; j < b->p.dim; j++) {
        double u = config[b->idx[j]];
        if (isnan(u) || b->categorical[j]) {
            x[j] = u;
            continue;
        }
        char text[64];
        smac_cs_value_text(b->cs, b->idx[j], u, text, sizeof text);
        x[j] = strtod(text, NULL);
    }
}

static inline double bench_bound_eval(const bench_bound *b, const double *config)
{
    double x[BENCH_MAX_DIM];
    bench_decode(b, config, x);
    return bench_eval(&b->p, x);
}

/* ------------------------------------------------------------ statistics */

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile with linear interpolation; sorts v in place. */
static inline double bench_percentile(double *v, int n, double q)
{
    if (n <= 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    double pos = q / 100.0 * (n - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/* A number as RESULTS.md prints it (Python's "{:.3g}"). */
static inline const char *bench_g3(double x, char *buf, size_t n)
{
    snprintf(buf, n, "%.3g", x);
    return buf;
}

#endif
