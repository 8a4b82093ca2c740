/*
 * Speed of the configuration-space hot paths: uniform sampling, validity
 * checking and one-exchange neighbourhood generation, on
 *   (a) flat10:  10 unconditional parameters (real, log-real, integer,
 *                log-integer, categorical), and
 *   (b) cond100: 20 categorical switches, each activating 4 numeric
 *                children (100 parameters, 80 conditions).
 * Reference figures for ConfigSpace 0.4.21 on the development machine:
 * ~400,000 samples/s and ~80,000 neighbours/s on a flat space.
 * Each figure is measured over 0.5 s of process CPU time (robust on a
 * shared machine); the whole run takes a few seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/clock.h"

#define CS_REF_SAMPLES 400000.0
#define CS_REF_NEIGHBOURS 80000.0
#define SECONDS_PER_MEASURE 0.5
#define MAX_PARAMS 128

static volatile double sink;

static void die(const char *what, const smac_error *err)
{
    fprintf(stderr, "cs_bench: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static smac_cs *flat10(void)
{
    static const char *const c3[] = {"gini", "entropy", "log_loss"};
    static const char *const c5[] = {"a", "b", "c", "d", "e"};
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    if (!b)
        die("builder", NULL);
    int rc = 0;
    rc |= smac_cs_builder_add_real(b, "x1", -5, 10, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_real(b, "x2", 0, 15, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_real(b, "momentum", 0, 1, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_real(b, "lr", 1e-5, 1, 1, 0.01, 1, 0, &err);
    rc |= smac_cs_builder_add_real(b, "alpha", 1e-7, 1e-1, 0, 0, 1, 0, &err);
    rc |= smac_cs_builder_add_integer(b, "depth", 1, 20, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_integer(b, "batch", 16, 1024, 0, 0, 1, 0, &err);
    rc |= smac_cs_builder_add_integer(b, "leaves", 2, 200, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_categorical(b, "criterion", 3, c3, NULL, NULL, NULL, &err);
    rc |= smac_cs_builder_add_categorical(b, "mode", 5, c5, NULL, NULL, NULL, &err);
    smac_cs *cs = NULL;
    if (rc != 0 || smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        die("flat10", &err);
    smac_cs_builder_free(b);
    return cs;
}

static smac_cs *cond100(void)
{
    static const char *const onoff[] = {"on", "off"};
    static const char *const on[] = {"on"};
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    if (!b)
        die("builder", NULL);
    char name[32], parent[32];
    for (int s = 0; s < 20; s++) {
        snprintf(parent, sizeof parent, "sw%02d", s);
        if (smac_cs_builder_add_categorical(b, parent, 2, onoff, NULL, NULL, NULL, &err) != 0)
            die("cond100", &err);
        for (int k = 0; k < 4; k++) {
            snprintf(name, sizeof name, "sw%02d_p%d", s, k);
            int rc;
            switch (k) {
            case 0: rc = smac_cs_builder_add_real(b, name, 0, 1, 0, 0, 0, 0, &err); break;
            case 1: rc = smac_cs_builder_add_real(b, name, 1e-4, 10, 0, 0, 1, 0, &err); break;
            case 2: rc = smac_cs_builder_add_integer(b, name, 1, 100, 0, 0, 0, 0, &err); break;
            default: rc = smac_cs_builder_add_integer(b, name, 1, 4096, 0, 0, 1, 0, &err); break;
            }
            cs_cond_spec c = {.op = CS_COND_EQ, .parent = parent, .n_values = 1, .values = on};
            if (rc != 0 || smac_cs_builder_add_condition(b, name, &c, &err) != 0)
                die("cond100", &err);
        }
    }
    smac_cs *cs = NULL;
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        die("cond100", &err);
    smac_cs_builder_free(b);
    return cs;
}

static void report(const char *what, const char *space, double per_second, double reference)
{
    if (reference > 0)
        printf("%s %s: %.0f configs/s (%.1fx ConfigSpace 0.4.21's ~%.0f/s)\n", what, space, per_second,
               per_second / reference, reference);
    else
        printf("%s %s: %.0f configs/s\n", what, space, per_second);
    fflush(stdout);
}

static double bench_sample(const smac_cs *cs)
{
    smac_rng rng;
    smac_rng_seed(&rng, 1, 0);
    double v[MAX_PARAMS];
    smac_error err;
    long n = 0;
    double t0 = smac_clock_process_cpu(), t;
    do {
        for (int k = 0; k < 1000; k++) {
            if (smac_cs_sample(cs, &rng, v, &err) != 0)
                die("sample", &err);
            sink += v[0];
        }
        n += 1000;
    } while ((t = smac_clock_process_cpu() - t0) < SECONDS_PER_MEASURE);
    return n / t;
}

static double bench_check(const smac_cs *cs)
{
    enum { POOL = 4096 };
    int np = smac_cs_n_params(cs);
    double *pool = malloc(sizeof(double) * POOL * (size_t)np);
    if (!pool)
        die("memory", NULL);
    smac_rng rng;
    smac_rng_seed(&rng, 2, 0);
    smac_error err;
    for (int k = 0; k < POOL; k++)
        if (smac_cs_sample(cs, &rng, pool + (size_t)k * (size_t)np, &err) != 0)
            die("sample", &err);
    long n = 0;
    double t0 = smac_clock_process_cpu(), t;
    do {
        for (int k = 0; k < POOL; k++)
            if (smac_cs_check(cs, pool + (size_t)k * (size_t)np, &err) != 0)
                die("check", &err);
        n += POOL;
    } while ((t = smac_clock_process_cpu() - t0) < SECONDS_PER_MEASURE);
    free(pool);
    return n / t;
}

static double bench_neighbours(const smac_cs *cs)
{
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    if (!nb)
        die("memory", NULL);
    smac_rng rng;
    smac_rng_seed(&rng, 3, 0);
    double centre[MAX_PARAMS], v[MAX_PARAMS];
    smac_error err;
    long n = 0;
    uint64_t seed = 0;
    double t0 = smac_clock_process_cpu(), t;
    do {
        /* as local search does: a new centre, then the whole neighbourhood */
        if (smac_cs_sample(cs, &rng, centre, &err) != 0)
            die("sample", &err);
        smac_neighbourhood_reset(nb, centre, seed++);
        while (smac_neighbourhood_next(nb, v)) {
            sink += v[0];
            n++;
        }
    } while ((t = smac_clock_process_cpu() - t0) < SECONDS_PER_MEASURE);
    smac_neighbourhood_free(nb);
    return n / t;
}

int main(void)
{
    smac_cs *flat = flat10();
    smac_cs *cond = cond100();
    report("sample", "flat10", bench_sample(flat), CS_REF_SAMPLES);
    report("check", "flat10", bench_check(flat), 0);
    report("neighbours", "flat10", bench_neighbours(flat), CS_REF_NEIGHBOURS);
    report("sample", "cond100", bench_sample(cond), 0);
    report("check", "cond100", bench_check(cond), 0);
    report("neighbours", "cond100", bench_neighbours(cond), 0);
    smac_cs_free(flat);
    smac_cs_free(cond);
    return sink == 12345.678 ? 1 : 0;
}
