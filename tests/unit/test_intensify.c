/* Intensification: hand-built run histories and a fake target (a cost per
 * configuration and instance) drive the classic racing intensifier (one
 * worker: SMAC3 v1.1's sequence of runs; several workers: races in
 * parallel) and the simple intensifier, and the tests check each decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intensify/intensifier.h"
#include "runhistory/runhistory.h"
#include "util/log.h"

#define MAX_CFG 24
#define MAX_INST 8
#define MAX_LOG 2048

/* ------------------------------------------------------------ harness */

typedef struct sim {
    smac_cs *cs;
    smac_runhistory *rh;
    smac_intensifier *it;
    smac_intensifier_options o;
    const char *names[MAX_INST];
    int n_inst;
    int ids[MAX_CFG];      /* ids[k] = id of configuration k (k = 1..n_cfg) */
    int n_cfg;
    double cost[MAX_CFG][MAX_INST]; /* by configuration number and instance index */
    /* the challenger source: a queue of configuration numbers */
    int queue[64];
    int qn, qpos;
    int n_end_iteration;
    int source_fail;       /* next() returns this when non-zero */
    int source_bad_id;     /* next() hands out this unknown id when non-zero */
    /* what happened */
    int incumbent;         /* config id */
    smac_run_info runs[MAX_LOG];
    int n_runs;
    int n_traj;            /* trajectory entries reported */
    int n_changes;
    int n_iter_ended;
    smac_run_info flight[64];
    int n_flight;
    int max_flight;
    double clock;
    double wall_factor;    /* wallclock seconds per reported second (quality runs report 1 s) */
    double quality_time;   /* the time a quality run reports (1 s; 0 for an instant target) */
    double import_rate;    /* chance per request that a "pSMAC peer" adds a run */
    smac_rng order;
} sim;

static int src_next(void *ctx, int *id, smac_error *err)
{
    sim *s = ctx;
    if (s->source_fail)
        return smac_error_set(err, s->source_fail, "source failed on purpose");
    if (s->source_bad_id) {
        *id = s->source_bad_id;
        return 1;
    }
    if (s->qpos >= s->qn)
        return 0;
    *id = s->ids[s->queue[s->qpos++]];
    return 1;
}

static void src_end(void *ctx)
{
    ((sim *)ctx)->n_end_iteration++;
}

/* A one-parameter space; configuration k has x = k. */
static void sim_init(sim *s, int n_cfg, int n_inst)
{
    memset(s, 0, sizeof *s);
    smac_error err;
    const char *pcs = "x [0, 100] [50]\n";
    assert_int_equal(smac_cs_read_text(pcs, strlen(pcs), "t.pcs", SMAC_CS_PCS, &s->cs, &err), 0);
    smac_rh_options ro;
    smac_rh_options_init(&ro);
    s->rh = smac_runhistory_new(s->cs, &ro);
    assert_non_null(s->rh);
    static const char *inst_names[MAX_INST] = {"i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"};
    s->n_inst = n_inst;
    for (int i = 0; i < n_inst; i++) {
        s->names[i] = inst_names[i];
        int idx;
        assert_int_equal(smac_rh_intern_instance(s->rh, inst_names[i], &idx), 0);
        assert_int_equal(idx, i);
    }
    s->n_cfg = n_cfg;
    for (int k = 1; k <= n_cfg; k++) {
        double v = k / 100.0;
        assert_int_equal(smac_rh_intern_config(s->rh, &v, k == 1 ? "Default" : "Test", &s->ids[k]), 1);
        for (int i = 0; i < MAX_INST; i++)
            s->cost[k][i] = 10.0 + k;
    }
    smac_intensifier_options_init(&s->o);
    s->o.instances = s->names;
    s->o.n_instances = n_inst;
    s->o.deterministic = 1;
    s->o.seed = 7;
    s->wall_factor = 1.0;
    s->quality_time = 1.0;
    smac_rng_seed(&s->order, 99, 1);
}

/* Creates the intensifier once the test has set the options. */
static void sim_start(sim *s)
{
    smac_error err;
    s->it = smac_intensifier_new(&s->o, s->rh, &err);
    assert_non_null(s->it);
}

static void sim_free(sim *s)
{
    smac_intensifier_free(s->it);
    smac_runhistory_free(s->rh);
    smac_cs_free(s->cs);
}

static void sim_queue(sim *s, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        s->queue[s->qn++] = va_arg(ap, int);
    va_end(ap);
}

/* Configuration number of an id. */
static int cfg_of(const sim *s, int id)
{
    for (int k = 1; k <= s->n_cfg; k++)
        if (s->ids[k] == id)
            return k;
    return 0;
}

/* Stores a finished run directly (a history restored or imported). */
static void sim_add(sim *s, int k, int inst, int64_t seed, double cost)
{
    smac_run_value v = {cost, cost, SMAC_STATUS_SUCCESS, 0.0, 1.0, NULL};
    smac_error err;
    assert_int_equal(smac_rh_add(s->rh, s->ids[k], s->names[inst], seed, 0.0, &v, SMAC_RH_INTERNAL, 1, &err), 1);
}

static void sim_event(sim *s, const smac_intensifier_event *ev)
{
    s->n_iter_ended += ev->iterations_ended;
    if (ev->traj_entry) {
        s->n_traj++;
        smac_intensifier_counters c;
        smac_intensifier_get_counters(s->it, &c);
        assert_int_equal(ev->inc_changed, c.inc_changed);
        assert_int_equal(ev->incumbent, s->incumbent);
        assert_false(isnan(ev->traj_cost));
    }
    if (ev->changed) {
        s->n_changes++;
        assert_int_not_equal(ev->old_incumbent, ev->incumbent);
    }
}

/* The fake target: runtime-like results when the options say runtime. */
static smac_run_value sim_value(sim *s, const smac_run_info *ri)
{
    int k = cfg_of(s, ri->config_id);
    double c = s->cost[k][ri->instance < 0 ? 0 : ri->instance];
    smac_run_value v = {c, s->quality_time, SMAC_STATUS_SUCCESS, s->clock,
                        s->clock + s->wall_factor * s->quality_time, NULL};
    if (s->o.run_obj_runtime) {
        v.time = c;
        if (c > ri->cutoff) {
            v.status = ri->capped ? SMAC_STATUS_CAPPED : SMAC_STATUS_TIMEOUT;
            v.time = ri->cutoff;
            v.cost = ri->capped ? ri->cutoff : 10.0 * ri->cutoff;
        }
        v.endtime = s->clock + v.time;
    }
    s->clock = v.endtime;
    return v;
}

static void sim_submit(sim *s, const smac_run_info *ri)
{
    smac_error err;
    const char *inst = smac_rh_instance_name(s->rh, ri->instance);
    /* Never the same key twice while it is in flight, never a finished key again
     * (a CAPPED one may be retried). */
    const smac_rh_run *old = smac_rh_find_idx(s->rh, ri->config_id, ri->instance, ri->seed, ri->budget);
    if (!(old == NULL || old->value.status == SMAC_STATUS_CAPPED))
        print_message("handed out again: config %d instance %d seed %lld (stored status %d, origin %d), "
                      "incumbent %d, %d workers, deterministic %d\n",
                      cfg_of(s, ri->config_id), ri->instance, (long long)ri->seed, old->value.status, old->origin,
                      cfg_of(s, s->incumbent), s->o.n_workers, s->o.deterministic);
    assert_true(old == NULL || old->value.status == SMAC_STATUS_CAPPED);
    smac_run_value ph = {2147483647.0, 0.0, SMAC_STATUS_RUNNING, 0.0, 0.0, NULL};
    assert_int_equal(smac_rh_add(s->rh, ri->config_id, inst, ri->seed, ri->budget, &ph, SMAC_RH_INTERNAL, 0, &err),
                     1);
    assert_true(s->n_runs < MAX_LOG);
    s->runs[s->n_runs++] = *ri;
    assert_true(s->n_flight < 64);
    s->flight[s->n_flight++] = *ri;
    if (s->n_flight > s->max_flight)
        s->max_flight = s->n_flight;
}

/* Finishes in-flight run j: into the history (forced), then the intensifier. */
static void sim_finish(sim *s, int j, double time_bound)
{
    smac_run_info ri = s->flight[j];
    s->flight[j] = s->flight[--s->n_flight];
    smac_run_value v = sim_value(s, &ri);
    smac_error err;
    const char *inst = smac_rh_instance_name(s->rh, ri.instance);
    assert_int_equal(smac_rh_add(s->rh, ri.config_id, inst, ri.seed, ri.budget, &v, SMAC_RH_INTERNAL, 1, &err), 1);
    smac_intensifier_event ev;
    int inc = smac_intensifier_process_result(s->it, &ri, &v, s->incumbent, time_bound, &ev, &err);
    assert_true(inc >= 0);
    assert_int_equal(ev.incumbent, inc);
    s->incumbent = inc;
    sim_event(s, &ev);
}

/* A run of another pSMAC process: configuration k on a random instance,
 * seed 0 or one of a few, never forced (first seen wins). */
static void sim_import(sim *s)
{
    int k = 1 + (int)smac_rng_below(&s->order, (uint64_t)s->n_cfg);
    int inst = (int)smac_rng_below(&s->order, (uint64_t)s->n_inst);
    int64_t seed = s->o.deterministic ? 0 : (int64_t)smac_rng_below(&s->order, 3);
    double c = s->cost[k][inst];
    smac_run_value v = {c, c, SMAC_STATUS_SUCCESS, 0.0, 1.0, NULL};
    smac_error err;
    assert_true(smac_rh_add(s->rh, s->ids[k], s->names[inst], seed, 0.0, &v, SMAC_RH_EXTERNAL_SAME, 0, &err) >= 0);
}

/* One request. RUN: submitted (and, with run_now, finished at once as a
 * one-worker runner does). */
static smac_intent sim_ask(sim *s, int run_now, double time_bound)
{
    if (s->import_rate > 0 && smac_rng_uniform(&s->order) < s->import_rate)
        sim_import(s);
    smac_challenger_source src = {src_next, src_end, s};
    smac_intent intent;
    smac_run_info ri;
    smac_intensifier_event ev;
    smac_error err;
    int before = s->incumbent;
    assert_int_equal(smac_intensifier_next_run(s->it, &src, &s->incumbent, s->n_flight, &intent, &ri, &ev, &err), 0);
    assert_int_equal(ev.incumbent, s->incumbent);
    if (!ev.traj_entry)
        assert_int_equal(before, s->incumbent);
    sim_event(s, &ev);
    if (intent == SMAC_INTENT_RUN) {
        sim_submit(s, &ri);
        if (run_now)
            sim_finish(s, s->n_flight - 1, time_bound);
    }
    return intent;
}

/* Runs the one-worker loop until `max_runs` runs or 30 SKIPs in a row. */
static void sim_run_seq(sim *s, int max_runs, double time_bound)
{
    int skips = 0;
    int start = s->n_runs;
    while (s->n_runs - start < max_runs && skips < 30) {
        smac_intent in = sim_ask(s, 1, time_bound);
        assert_int_not_equal(in, SMAC_INTENT_WAIT);
        skips = in == SMAC_INTENT_SKIP ? skips + 1 : 0;
    }
}

/* Runs the several-workers loop; results come back in random order. */
static void sim_run_par_tb(sim *s, int max_runs, double time_bound)
{
    int skips = 0;
    while (s->n_runs < max_runs || s->n_flight > 0) {
        smac_intent in = s->n_runs < max_runs ? sim_ask(s, 0, time_bound) : SMAC_INTENT_WAIT;
        if (in == SMAC_INTENT_RUN) {
            skips = 0;
            assert_true(s->n_flight <= s->o.n_workers);
            continue;
        }
        if (in == SMAC_INTENT_SKIP && s->n_flight == 0) {
            if (++skips >= 30)
                break;
            continue;
        }
        assert_true(s->n_flight > 0);
        sim_finish(s, (int)smac_rng_below(&s->order, (uint64_t)s->n_flight), time_bound);
    }
}

static void sim_run_par(sim *s, int max_runs)
{
    sim_run_par_tb(s, max_runs, 1e9);
}

/* ---------------------------------------------------- classic, 1 worker */

static void first_config_becomes_incumbent(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 2);
    sim_start(&s);
    sim_queue(&s, 1, 1);
    /* The first request runs the first challenger; the caller's incumbent stays none. */
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(s.runs[0].config_id, s.ids[1]);
    assert_int_equal(s.runs[0].seed, 0);
    assert_true(isinf(s.runs[0].cutoff));
    assert_int_equal(s.runs[0].capped, 0);
    assert_int_equal(s.incumbent, 0);
    sim_finish(&s, 0, 1e9);
    assert_int_equal(s.incumbent, s.ids[1]);
    /* First trajectory entry with the real cost; the iteration ended. */
    assert_int_equal(s.n_traj, 1);
    assert_int_equal(s.n_changes, 0);
    assert_int_equal(s.n_iter_ended, 1);
    smac_intensifier_counters c;
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.inc_changed, 1);
    assert_int_equal(c.n_calls_of_intensify, 1);
    assert_int_equal(c.n_configs_per_intensify, 0);
    assert_true(c.ema_n_configs_per_intensify == 0.0);
    /* Next: the incumbent's second instance, then no challenger -> SKIP. */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(s.runs[1].config_id, s.ids[1]);
    assert_int_not_equal(s.runs[1].instance, s.runs[0].instance);
    assert_int_equal(s.n_traj, 1);
    assert_int_equal(s.n_end_iteration, 0);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_SKIP);
    /* The new iteration's first pull dropped the old stream. */
    assert_int_equal(s.n_end_iteration, 1);
    assert_int_equal(s.n_iter_ended, 2);
    sim_free(&s);
}

static void challenger_rejected_early(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 4);
    for (int i = 0; i < 4; i++) {
        s.cost[1][i] = 1.0;
        s.cost[2][i] = 2.0; /* worse everywhere */
        s.cost[3][i] = 3.0;
    }
    sim_start(&s);
    sim_queue(&s, 3, 1, 2, 3);
    sim_run_seq(&s, 6, 1e9);
    /* A (first), A (new iteration), B once (rejected on one pair), A, C once, A. */
    int expect[6] = {1, 1, 2, 1, 3, 1};
    for (int r = 0; r < 6; r++)
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), expect[r]);
    /* B ran on one of A's pairs. */
    smac_rh_isb b = {s.runs[2].instance, s.runs[2].seed, 0.0};
    assert_true(b.instance == s.runs[0].instance || b.instance == s.runs[1].instance);
    assert_int_equal(s.incumbent, s.ids[1]);
    assert_int_equal(s.n_changes, 0);
    assert_int_equal(smac_rh_n_runs(s.rh, s.ids[2]), 1);
    sim_free(&s);
}

/* Pre-populated incumbent on all four instances: a challenger equal to it
 * races the full set with N = 1, 2, 4 and the tie keeps the incumbent. */
static void full_race_tie_keeps_incumbent(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 4);
    for (int i = 0; i < 4; i++) {
        sim_add(&s, 1, i, 0, 1.0 + i);
        s.cost[2][i] = 1.0 + i;
    }
    s.o.inc_changed = 1;
    sim_start(&s);
    s.incumbent = s.ids[1];
    sim_queue(&s, 1, 2);
    /* Every instance is used up (deterministic): straight to the challenger. */
    for (int r = 0; r < 4; r++) {
        assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), 2);
        smac_intensifier_counters c;
        smac_intensifier_get_counters(s.it, &c);
        assert_int_equal(c.n_races, r < 3 ? 1 : 0);
    }
    /* All four distinct pairs. */
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            assert_int_not_equal(s.runs[a].instance, s.runs[b].instance);
    assert_int_equal(s.incumbent, s.ids[1]);
    assert_int_equal(s.n_traj, 0);
    sim_free(&s);
}

/* N doubling, then the default: the better challenger needs 1, 2 and 1 more
 * runs; after the change the default races the new incumbent (RUN_BASIS). */
static void winner_then_default_raced(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 4, 4);
    /* 1 = default (has a run on i1 only), 2 = incumbent on all four, 3 = better. */
    sim_add(&s, 1, 0, 0, 9.0);
    s.cost[1][1] = 9.0;
    s.cost[1][2] = 9.0;
    s.cost[1][3] = 9.0;
    for (int i = 0; i < 4; i++) {
        sim_add(&s, 2, i, 0, 5.0);
        s.cost[3][i] = 1.0 + 0.5 * i;
    }
    s.o.race_against = s.ids[1];
    s.o.inc_changed = 2;
    sim_start(&s);
    s.incumbent = s.ids[2];
    sim_queue(&s, 2, 3, 4);
    for (int r = 0; r < 4; r++) {
        assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), 3);
        assert_int_equal(s.n_changes, r == 3 ? 1 : 0);
    }
    assert_int_equal(s.incumbent, s.ids[3]);
    smac_intensifier_counters c;
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.inc_changed, 3);
    /* RUN_BASIS: the default runs on the pairs of the new incumbent it lacks (N = 4 covers
     * all three), one per request, and is compared after the last. */
    for (int r = 4; r < 7; r++) {
        assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), 1);
        assert_int_not_equal(s.runs[r].instance, 0);
    }
    /* The default lost; the incumbent has every instance (deterministic), so the next
     * challenger comes. */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[7].config_id), 4);
    assert_int_equal(s.incumbent, s.ids[3]);
    assert_int_equal(s.n_changes, 1);
    sim_free(&s);
}

/* Decisions happen when a batch is complete: better on its first pair
 * (undecided, N = 2), then two bad runs: the race goes on after the first of
 * them and is rejected after the second. */
static void n_doubling_batches(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 4);
    for (int i = 0; i < 4; i++)
        sim_add(&s, 1, i, 0, 5.0);
    s.o.inc_changed = 1;
    sim_start(&s);
    s.incumbent = s.ids[1];
    sim_queue(&s, 2, 2, 3);
    double costs[3] = {1.0, 20.0, 20.0};
    for (int r = 0; r < 3; r++) {
        assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), 2);
        s.cost[2][s.runs[r].instance] = costs[r];
        sim_finish(&s, 0, 1e9);
        smac_intensifier_counters c;
        smac_intensifier_get_counters(s.it, &c);
        assert_int_equal(c.n_races, r < 2 ? 1 : 0);
    }
    /* Rejected with 3 of 4 pairs; the incumbent has no instance left: next challenger. */
    assert_int_equal(smac_rh_n_runs(s.rh, s.ids[2]), 3);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[3].config_id), 3);
    assert_int_equal(s.incumbent, s.ids[1]);
    sim_free(&s);
}

/* Runtime objective: capped cutoffs follow min(cutoff, slack * inc_sum - chal_sum);
 * a CAPPED run abandons the challenger. */
static void adaptive_capping(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 4, 3);
    s.o.run_obj_runtime = 1;
    s.o.cutoff = 10.0;
    sim_add(&s, 1, 0, 0, 1.0);
    sim_add(&s, 1, 1, 0, 2.0);
    s.cost[1][2] = 1.5;
    s.cost[2][0] = 0.5;
    s.cost[2][1] = 0.5;
    s.o.inc_changed = 1;
    sim_start(&s);
    s.incumbent = s.ids[1];
    sim_queue(&s, 2, 2, 3);
    /* The incumbent runs on i3 first (its least-run instance). */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[0].config_id), 1);
    assert_int_equal(s.runs[0].instance, 2);
    assert_true(s.runs[0].cutoff == 10.0);
    assert_int_equal(s.runs[0].capped, 0);
    /* Challenger 2, first pair p: cutoff = 1.2 * A(p). */
    double a[3] = {1.0, 2.0, 1.5};
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    smac_run_info r1 = s.runs[1];
    assert_int_equal(cfg_of(&s, r1.config_id), 2);
    assert_true(r1.cutoff == 1.2 * a[r1.instance]);
    assert_int_equal(r1.capped, 1);
    /* It is fast on p: 0.5 (or, on i3, we make it so). */
    s.cost[2][r1.instance] = 0.5;
    sim_finish(&s, 0, 1e9);
    /* Undecided -> N = 2: the other two pairs, each capped by the batch's incumbent sum. */
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    smac_run_info r2 = s.runs[2];
    assert_int_equal(cfg_of(&s, r2.config_id), 2);
    double inc_sum = a[0] + a[1] + a[2];
    assert_true(r2.cutoff == inc_sum * 1.2 - 0.5);
    assert_int_equal(r2.capped, 1);
    /* This one times out against its cap: CAPPED, and the challenger is dropped
     * although its batch had one more pair. */
    s.cost[2][r2.instance] = 100.0;
    sim_finish(&s, 0, 1e9);
    assert_int_equal(smac_rh_n_runs(s.rh, s.ids[2]), 1);
    /* Next: the incumbent has no instance left (deterministic) -> the next challenger. */
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[3].config_id), 3);
    assert_int_equal(s.incumbent, s.ids[1]);
    sim_free(&s);
}

/* A hopeless default (its time already exceeds slack x the incumbent's) is
 * stopped by capping without a run, and rejected. */
static void capping_stops_basis_race(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 3);
    s.o.run_obj_runtime = 1;
    s.o.cutoff = 10.0;
    sim_add(&s, 1, 0, 0, 5.0); /* default: slow */
    sim_add(&s, 2, 0, 0, 1.0);
    sim_add(&s, 2, 1, 0, 1.0);
    s.cost[3][0] = 0.5;
    s.cost[3][1] = 0.5;
    s.cost[3][2] = 0.5;
    s.cost[2][2] = 1.0;
    s.o.race_against = s.ids[1];
    s.o.inc_changed = 1;
    sim_start(&s);
    s.incumbent = s.ids[2];
    sim_queue(&s, 1, 3);
    sim_run_seq(&s, 4, 1e9);
    /* 2 on i3, then 3 wins on three pairs (batches 1, 2), then 3 (incumbent) has nothing
     * left and the default never runs. */
    assert_int_equal(cfg_of(&s, s.runs[0].config_id), 2);
    for (int r = 1; r < 4; r++)
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), 3);
    assert_int_equal(s.incumbent, s.ids[3]);
    assert_int_equal(s.n_runs, 4);
    assert_int_equal(smac_rh_n_runs(s.rh, s.ids[1]), 1);
    sim_free(&s);
}

static void min_r_and_max_r(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 6);
    for (int i = 0; i < 6; i++) {
        s.cost[1][i] = 1.0;
        s.cost[2][i] = 2.0;
        s.cost[3][i] = 3.0;
    }
    s.o.min_r = 3;
    sim_start(&s);
    sim_queue(&s, 3, 1, 2, 3);
    sim_run_seq(&s, 8, 1e9);
    /* minR = 3: the incumbent runs three times before any challenger; a challenger starts
     * with N = 3 and is only compared after its three runs. */
    int expect[8] = {1, 1, 1, 2, 2, 2, 1, 3};
    for (int r = 0; r < 8; r++)
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), expect[r]);
    sim_free(&s);

    sim_init(&s, 4, 6);
    for (int i = 0; i < 6; i++) {
        s.cost[1][i] = 1.0;
        s.cost[2][i] = 2.0;
        s.cost[3][i] = 3.0;
        s.cost[4][i] = 4.0;
    }
    s.o.max_r = 2;
    sim_start(&s);
    sim_queue(&s, 4, 1, 2, 3, 4);
    sim_run_seq(&s, 5, 1e9);
    /* maxR = 2: after two runs the incumbent gets no more; challengers follow each other. */
    int expect2[5] = {1, 1, 2, 3, 4};
    for (int r = 0; r < 5; r++)
        assert_int_equal(cfg_of(&s, s.runs[r].config_id), expect2[r]);
    sim_free(&s);
}

static void seeds_deterministic_and_random(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 3, 2);
    sim_start(&s);
    sim_queue(&s, 3, 1, 2, 3);
    sim_run_seq(&s, 10, 1e9);
    for (int r = 0; r < s.n_runs; r++)
        assert_int_equal(s.runs[r].seed, 0);
    sim_free(&s);

    /* Random seeds: the incumbent draws them; challengers reuse the incumbent's pairs;
     * with every instance used once, instances are drawn again (new seeds). */
    sim_init(&s, 3, 1);
    for (int k = 1; k <= 3; k++)
        s.cost[k][0] = (double)(4 - k); /* later is better */
    s.o.deterministic = 0;
    sim_start(&s);
    sim_queue(&s, 3, 1, 2, 3);
    sim_run_seq(&s, 12, 1e9);
    int nonzero = 0;
    for (int r = 0; r < s.n_runs; r++) {
        assert_true(s.runs[r].seed >= 0 && s.runs[r].seed < 2147483647LL);
        nonzero += s.runs[r].seed != 0;
    }
    assert_true(nonzero >= s.n_runs - 1);
    /* The first run of each challenger is on a pair (seed) the incumbent ran before. */
    for (int k = 2; k <= 3; k++) {
        int r = 0;
        while (r < s.n_runs && cfg_of(&s, s.runs[r].config_id) != k)
            r++;
        assert_true(r < s.n_runs);
        int found = 0;
        for (int q = 0; q < r && !found; q++)
            found = s.runs[q].seed == s.runs[r].seed && s.runs[q].config_id != s.runs[r].config_id;
        assert_true(found);
    }
    assert_int_equal(s.incumbent, s.ids[3]);
    sim_free(&s);
}

/* Six configurations on eight instances; 2..6 lose to 1 everywhere. */
static void sim_init_losing_challengers(sim *s)
{
    sim_init(s, 6, 8);
    for (int k = 2; k <= 6; k++)
        for (int i = 0; i < 8; i++)
            s->cost[k][i] = 50.0 + k;
}

/* The time bound ends an iteration only after min_chall challengers. */
static void time_bound_after_min_chall(void **state)
{
    (void)state;
    sim s;
    sim_init_losing_challengers(&s);
    for (int i = 0; i < 8; i++)
        s.cost[1][i] = 1.0;
    sim_start(&s);
    sim_queue(&s, 6, 1, 2, 3, 4, 5, 6);
    /* First run ends iteration 1. */
    assert_int_equal(sim_ask(&s, 1, 1e-5), SMAC_INTENT_RUN);
    assert_int_equal(s.n_iter_ended, 1);
    /* Iteration 2 with a tiny time bound: A, B (rejected; 1 challenger < min_chall = 2),
     * A, C (rejected: 2 challengers) -> ends. */
    for (int r = 0; r < 4; r++)
        assert_int_equal(sim_ask(&s, 1, 1e-5), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[2].config_id), 2);
    assert_int_equal(cfg_of(&s, s.runs[4].config_id), 3);
    assert_int_equal(s.n_iter_ended, 2);
    smac_intensifier_counters c;
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.chall_indx, 0);
    assert_int_equal(c.num_run, 0);
    assert_int_equal(c.n_calls_of_intensify, 2);
    /* With a large bound the iteration goes on past min_chall. */
    for (int r = 0; r < 6; r++)
        sim_ask(&s, 1, 1e9);
    assert_int_equal(s.n_iter_ended, 2);
    sim_free(&s);

    /* An instant target (no measurable wallclock, 0 s reported, as an in-process
     * C function): each run still counts as SMAC3's smallest bound, 1e-5 s, so
     * the iteration ends after min_chall challengers exactly as above instead
     * of depending on the timer -- the same seed gives the same runs. */
    sim_init_losing_challengers(&s);
    for (int i = 0; i < 8; i++)
        s.cost[1][i] = 1.0;
    s.quality_time = 0.0;
    sim_start(&s);
    sim_queue(&s, 6, 1, 2, 3, 4, 5, 6);
    assert_int_equal(sim_ask(&s, 1, 1e-5), SMAC_INTENT_RUN);
    assert_int_equal(s.n_iter_ended, 1);
    for (int r = 0; r < 4; r++)
        assert_int_equal(sim_ask(&s, 1, 1e-5), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[4].config_id), 3);
    assert_int_equal(s.n_iter_ended, 2);
    sim_free(&s);

    /* use_ta_time_bound: only the reported target time counts (1 s per run here, while
     * each run takes 10 s of wallclock). */
    sim_init_losing_challengers(&s);
    s.o.use_ta_time_bound = 1;
    s.wall_factor = 10.0;
    sim_start(&s);
    sim_queue(&s, 6, 1, 2, 3, 4, 5, 6);
    assert_int_equal(sim_ask(&s, 1, 4.5), SMAC_INTENT_RUN);
    for (int r = 0; r < 4; r++)
        assert_int_equal(sim_ask(&s, 1, 4.5), SMAC_INTENT_RUN);
    /* A, B, A, C: 4 s < 4.5 s although 40 s of wallclock went by. */
    assert_int_equal(s.n_iter_ended, 1);
    for (int r = 0; r < 2; r++)
        assert_int_equal(sim_ask(&s, 1, 4.5), SMAC_INTENT_RUN);
    /* A, D: 6 s. */
    assert_int_equal(s.n_iter_ended, 2);
    sim_free(&s);
}

static void challenger_equal_to_incumbent_skipped(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 2, 1);
    sim_start(&s);
    sim_queue(&s, 3, 1, 1, 2);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN); /* 1, first */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_SKIP); /* 1 again: the incumbent (deterministic, used up) */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN); /* 2 */
    assert_int_equal(cfg_of(&s, s.runs[1].config_id), 2);
    sim_free(&s);
}

static void determinism_for_a_seed(void **state)
{
    (void)state;
    smac_run_info a[64], b[64];
    int na = 0, nb = 0;
    int64_t first_seed[2];
    for (int rep = 0; rep < 3; rep++) {
        sim s;
        sim_init(&s, 8, 5);
        for (int k = 1; k <= 8; k++)
            for (int i = 0; i < 5; i++)
                s.cost[k][i] = (double)((k * 7 + i * 3) % 11);
        s.o.deterministic = 0;
        s.o.seed = rep < 2 ? 11 : 12;
        sim_start(&s);
        sim_queue(&s, 8, 1, 2, 3, 4, 5, 6, 7, 8);
        sim_run_seq(&s, 40, 1e9);
        if (rep == 0) {
            na = s.n_runs < 64 ? s.n_runs : 64;
            memcpy(a, s.runs, (size_t)na * sizeof *a);
        } else if (rep == 1) {
            nb = s.n_runs < 64 ? s.n_runs : 64;
            memcpy(b, s.runs, (size_t)nb * sizeof *b);
        }
        first_seed[rep == 2] = s.runs[0].seed;
        sim_free(&s);
    }
    assert_true(na > 10);
    assert_int_equal(na, nb);
    for (int r = 0; r < na; r++) {
        assert_int_equal(a[r].config_id, b[r].config_id);
        assert_int_equal(a[r].instance, b[r].instance);
        assert_true(a[r].seed == b[r].seed);
    }
    assert_true(first_seed[0] != first_seed[1]);
}

/* A first configuration that already has (imported) runs is adopted at once. */
static void first_config_with_imported_runs(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 2, 2);
    sim_add(&s, 1, 0, 0, 3.0);
    sim_add(&s, 1, 1, 0, 3.0);
    sim_start(&s);
    sim_queue(&s, 2, 1, 2);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_SKIP);
    assert_int_equal(s.incumbent, s.ids[1]);
    assert_int_equal(s.n_traj, 1);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[0].config_id), 2);
    sim_free(&s);
}

/* Log lines of an incumbent change (formats.md §7). */
static void change_log_lines(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    int fd = fileno(f);
    fflush(stdout);
    int saved = dup(1);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 1) >= 0);
    smac_log_set_level(SMAC_LOG_INFO);

    sim s;
    sim_init(&s, 2, 1);
    s.cost[1][0] = 2.0;
    s.cost[2][0] = 1.5;
    sim_start(&s);
    sim_queue(&s, 2, 1, 2);
    sim_run_seq(&s, 2, 1e9);
    assert_int_equal(s.incumbent, s.ids[2]);
    sim_free(&s);

    fflush(stdout);
    smac_log_set_level(SMAC_LOG_OFF);
    dup2(saved, 1);
    close(saved);
    rewind(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "INFO:\tFirst run, no incumbent provided; challenger is assumed to be the incumbent\n"));
    assert_non_null(strstr(text, "INFO:\tUpdated estimated cost of incumbent on 1 runs: 2.0000\n"));
    assert_non_null(strstr(text, "INFO:\tChallenger (1.5000) is better than incumbent (2.0000) on 1 runs.\n"));
    assert_non_null(strstr(text, "INFO:\tChanges in incumbent:\nINFO:\t  x : 1.0 -> 2.0\n"));
}

/* ---------------------------------------------------------------- simple */

static void simple_intensifier(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 5, 3);
    s.cost[1][2] = 5.0;
    s.cost[2][2] = 3.0;
    s.cost[3][2] = 4.0;
    s.cost[4][2] = 1.0;
    s.o.kind = SMAC_INTENSIFIER_SIMPLE;
    s.o.n_workers = 2;
    sim_start(&s);
    sim_queue(&s, 5, 1, 2, 2, 3, 4);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_WAIT);
    /* Last instance, seed 0, full cutoff. */
    for (int r = 0; r < 2; r++) {
        assert_int_equal(s.runs[r].instance, 2);
        assert_int_equal(s.runs[r].seed, 0);
        assert_int_equal(s.runs[r].capped, 0);
    }
    assert_int_equal(cfg_of(&s, s.runs[1].config_id), 2);
    /* A new stream for every request. */
    assert_int_equal(s.n_end_iteration, 1);
    sim_finish(&s, 0, 1e9); /* 1 */
    assert_int_equal(s.incumbent, s.ids[1]);
    assert_int_equal(s.n_traj, 1);
    sim_finish(&s, 0, 1e9); /* 2: better */
    assert_int_equal(s.incumbent, s.ids[2]);
    assert_int_equal(s.n_changes, 1);
    /* 2 again is skipped (already run): 3, worse, keeps the incumbent; 4 wins. */
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[2].config_id), 3);
    assert_int_equal(s.incumbent, s.ids[2]);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(s.incumbent, s.ids[4]);
    assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_SKIP);
    sim_free(&s);

    /* Random seeds: compared per instance, so the incumbent is never lost. */
    sim_init(&s, 4, 2);
    s.cost[1][1] = 5.0;
    s.cost[2][1] = 6.0;
    s.cost[3][1] = 2.0;
    s.cost[4][1] = 3.0;
    s.o.kind = SMAC_INTENSIFIER_SIMPLE;
    s.o.deterministic = 0;
    sim_start(&s);
    sim_queue(&s, 4, 1, 2, 3, 4);
    for (int r = 0; r < 4; r++)
        assert_int_equal(sim_ask(&s, 1, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(s.incumbent, s.ids[3]);
    assert_int_equal(s.n_changes, 1);
    int nonzero = 0;
    for (int r = 0; r < 4; r++)
        nonzero += s.runs[r].seed != 0;
    assert_true(nonzero >= 3);
    sim_free(&s);
}

/* ------------------------------------------------------ several workers */

/* cost = base(config) + offset(instance): every comparison agrees with the
 * ranking of the bases, so sequential and parallel racing must end with the
 * same (best) incumbent. */
static void setup_ranked(sim *s, int runtime)
{
    static const double base[] = {0, 6.0, 4.0, 7.0, 3.0, 5.0, 1.0, 2.5, 8.0, 0.5, 9.0};
    sim_init(s, 10, 4);
    for (int k = 1; k <= 10; k++)
        for (int i = 0; i < 4; i++)
            s->cost[k][i] = base[k] + 0.25 * i;
    s->o.race_against = s->ids[1];
    if (runtime) {
        s->o.run_obj_runtime = 1;
        s->o.cutoff = 20.0;
    }
    sim_queue(s, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
}

static void parallel_same_incumbent_as_sequential(void **state)
{
    (void)state;
    for (int runtime = 0; runtime <= 1; runtime++) {
        sim seq;
        setup_ranked(&seq, runtime);
        sim_start(&seq);
        sim_run_seq(&seq, 500, 1e9);
        assert_int_equal(seq.incumbent, seq.ids[9]);

        for (int workers = 2; workers <= 5; workers += 3) {
            for (uint64_t order = 1; order <= 3; order++) {
                sim par;
                setup_ranked(&par, runtime);
                par.o.n_workers = workers;
                smac_rng_seed(&par.order, order, 5);
                sim_start(&par);
                sim_run_par(&par, 500);
                assert_int_equal(par.incumbent, par.ids[9]);
                assert_int_equal(par.n_flight, 0);
                assert_true(par.max_flight >= 2);
                assert_true(par.max_flight <= workers);
                /* No race lost: all closed, every configuration has been run. */
                smac_intensifier_counters c;
                smac_intensifier_get_counters(par.it, &c);
                assert_int_equal(c.n_races, 0);
                assert_int_equal(c.n_inflight, 0);
                for (int k = 1; k <= 10; k++) {
                    int ran = 0;
                    for (int r = 0; r < par.n_runs && !ran; r++)
                        ran = par.runs[r].config_id == par.ids[k];
                    if (!ran)
                        print_message("runtime %d workers %d order %d: config %d never ran\n", runtime, workers,
                                      (int)order, k);
                    assert_true(ran);
                }
                /* The winner has every instance; the incumbent changed monotonically. */
                assert_int_equal(smac_rh_n_runs(par.rh, par.ids[9]), 4);
                assert_true(par.n_changes >= 1);
                sim_free(&par);
            }
        }
        sim_free(&seq);
    }
}

/* With a free worker and an undecided race, the whole batch goes out at once,
 * and a second challenger races while the first one waits. */
static void parallel_batches_and_concurrent_races(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 4, 4);
    for (int i = 0; i < 4; i++) {
        sim_add(&s, 1, i, 0, 5.0);
        s.cost[2][i] = 4.0;
        s.cost[3][i] = 6.0;
        s.cost[4][i] = 7.0;
    }
    s.o.n_workers = 3;
    s.o.inc_changed = 1;
    sim_start(&s);
    s.incumbent = s.ids[1];
    sim_queue(&s, 3, 2, 3, 4);
    /* 2 on one pair, 3 on one pair, 4 on one pair: three races at once. */
    for (int r = 0; r < 3; r++)
        assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_WAIT);
    assert_int_equal(cfg_of(&s, s.runs[0].config_id), 2);
    assert_int_equal(cfg_of(&s, s.runs[1].config_id), 3);
    assert_int_equal(cfg_of(&s, s.runs[2].config_id), 4);
    smac_intensifier_counters c;
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.n_races, 3);
    /* 2 comes back better but undecided: its next batch (2 pairs) goes out. */
    sim_finish(&s, 0, 1e9);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[3].config_id), 2);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_WAIT);
    /* 3 and 4 come back worse: rejected; the freed workers take 2's second pair of the
     * batch and (owed) nothing else for the incumbent, which has every instance. */
    for (int j = s.n_flight - 1; j >= 0; j--)
        if (cfg_of(&s, s.flight[j].config_id) != 2)
            sim_finish(&s, j, 1e9);
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.n_races, 1);
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_RUN);
    assert_int_equal(cfg_of(&s, s.runs[4].config_id), 2);
    /* The source is exhausted and the incumbent used up: WAIT, not SKIP. */
    assert_int_equal(sim_ask(&s, 0, 1e9), SMAC_INTENT_WAIT);
    while (s.n_flight)
        sim_finish(&s, 0, 1e9);
    /* 2 has 3 of 4 pairs: one more batch, then it wins. */
    sim_run_par(&s, 100);
    assert_int_equal(s.incumbent, s.ids[2]);
    sim_free(&s);
}

/* Random scenarios, one worker and several: the invariants hold (checked by
 * the harness on every call), every race ends, nothing stays in flight. */
static void random_scenarios(void **state)
{
    (void)state;
    smac_rng g;
    smac_rng_seed(&g, 2024, 3);
    for (int round = 0; round < 400; round++) {
        sim s;
        int n_inst = 1 + (int)smac_rng_below(&g, 6);
        sim_init(&s, 12, n_inst);
        for (int k = 1; k <= 12; k++)
            for (int i = 0; i < n_inst; i++)
                s.cost[k][i] = 0.1 + 9.9 * smac_rng_uniform(&g);
        s.o.deterministic = (int)smac_rng_below(&g, 2);
        s.o.run_obj_runtime = (int)smac_rng_below(&g, 2);
        if (s.o.run_obj_runtime)
            s.o.cutoff = 2.0 + 8.0 * smac_rng_uniform(&g);
        s.o.min_r = 1 + (int)smac_rng_below(&g, 2);
        s.o.max_r = 2 + (int)smac_rng_below(&g, 8);
        s.o.race_against = s.ids[1];
        s.o.n_workers = round % 3 == 0 ? 1 : 2 + (int)smac_rng_below(&g, 7);
        s.o.min_chall = 1 + (int)smac_rng_below(&g, 3);
        s.o.use_ta_time_bound = (int)smac_rng_below(&g, 2);
        s.o.kind = round % 5 == 4 ? SMAC_INTENSIFIER_SIMPLE : SMAC_INTENSIFIER_CLASSIC;
        s.o.seed = round;
        s.import_rate = round % 2 ? 0.2 : 0.0;
        double tb = smac_rng_below(&g, 2) ? 1e9 : 1e-5;
        smac_rng_seed(&s.order, round, 9);
        sim_start(&s);
        for (int k = 1; k <= 12; k++)
            s.queue[s.qn++] = k;
        if (s.o.n_workers == 1)
            sim_run_seq(&s, 400, tb);
        else
            sim_run_par_tb(&s, 400, tb);
        assert_int_equal(s.n_flight, 0);
        assert_true(s.incumbent > 0);
        smac_intensifier_counters c;
        smac_intensifier_get_counters(s.it, &c);
        if (c.n_races != 0)
            print_message("round %d workers %d det %d runtime %d minR %d maxR %d inst %d runs %d\n", round,
                          s.o.n_workers, s.o.deterministic, s.o.run_obj_runtime, s.o.min_r, s.o.max_r, n_inst,
                          s.n_runs);
        assert_int_equal(c.n_races, 0);
        assert_int_equal(c.n_inflight, 0);
        assert_int_equal(c.inc_changed, s.n_traj);
        assert_int_equal(s.n_traj, s.n_changes + 1);
        assert_true(smac_rh_n_runs(s.rh, s.incumbent) > 0);
        if (s.o.n_workers > 1)
            assert_true(s.max_flight > 1 || s.o.kind == SMAC_INTENSIFIER_SIMPLE);
        /* Every configuration was raced (the queue holds no duplicates). */
        for (int k = 1; k <= 12 && s.import_rate == 0; k++) {
            int ran = 0;
            for (int r = 0; r < s.n_runs && !ran; r++)
                ran = s.runs[r].config_id == s.ids[k];
            assert_true(ran);
        }
        sim_free(&s);
    }
}

/* ---------------------------------------------------------- bad input */

static void bad_options_and_arguments(void **state)
{
    (void)state;
    sim s;
    sim_init(&s, 2, 2);
    smac_error err;
    smac_intensifier_options o = s.o;
    o.n_workers = 0;
    assert_null(smac_intensifier_new(&o, s.rh, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "n_workers"));
    o = s.o;
    o.max_r = 0;
    assert_null(smac_intensifier_new(&o, s.rh, &err));
    o = s.o;
    const char *names[2] = {"a", NULL};
    o.instances = names;
    assert_null(smac_intensifier_new(&o, s.rh, &err));
    assert_non_null(strstr(err.message, "instance 2"));
    o = s.o;
    o.kind = (smac_intensifier_kind)7;
    assert_null(smac_intensifier_new(&o, s.rh, &err));
    o = s.o;
    o.run_limit = 0;
    assert_null(smac_intensifier_new(&o, s.rh, &err));
    assert_null(smac_intensifier_new(&s.o, NULL, &err));
    assert_null(smac_intensifier_new(NULL, s.rh, &err));
    /* Duplicated instance names count once. */
    const char *dup[3] = {"i2", "i1", "i2"};
    o = s.o;
    o.instances = dup;
    o.n_instances = 3;
    smac_intensifier *it = smac_intensifier_new(&o, s.rh, &err);
    assert_non_null(it);
    smac_intensifier_free(it);
    smac_intensifier_free(NULL);

    sim_start(&s);
    smac_challenger_source src = {src_next, src_end, &s};
    smac_intent intent;
    smac_run_info ri;
    int inc = 0;
    assert_int_equal(smac_intensifier_next_run(s.it, &src, NULL, 0, &intent, &ri, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_intensifier_next_run(s.it, &src, &inc, 0, NULL, &ri, NULL, &err), SMAC_ERR_INVALID);
    /* The source's failure is passed on, with its message. */
    s.source_fail = SMAC_ERR_RUNTIME;
    assert_int_equal(smac_intensifier_next_run(s.it, &src, &inc, 0, &intent, &ri, NULL, &err), SMAC_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "on purpose"));
    s.source_fail = 0;
    s.source_bad_id = 999;
    assert_int_equal(smac_intensifier_next_run(s.it, &src, &inc, 0, &intent, &ri, NULL, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "999"));
    s.source_bad_id = 0;
    /* A source without callbacks has nothing to give. */
    smac_challenger_source empty = {NULL, NULL, NULL};
    assert_int_equal(smac_intensifier_next_run(s.it, &empty, &inc, 0, &intent, &ri, NULL, &err), 0);
    assert_int_equal(intent, SMAC_INTENT_SKIP);
    /* Results: unknown config, missing value. */
    smac_run_value v = {1.0, 1.0, SMAC_STATUS_SUCCESS, 0.0, 1.0, NULL};
    ri.config_id = 12345;
    ri.instance = 0;
    ri.seed = 0;
    ri.budget = 0.0;
    assert_int_equal(smac_intensifier_process_result(s.it, &ri, &v, 0, 1.0, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_intensifier_process_result(s.it, &ri, NULL, 0, 1.0, NULL, &err), SMAC_ERR_INVALID);
    sim_free(&s);

    /* A default that is not in the history is not raced (and nothing loops). */
    sim_init(&s, 2, 1);
    s.cost[1][0] = 2.0;
    s.cost[2][0] = 1.0;
    s.o.race_against = 999;
    sim_start(&s);
    sim_queue(&s, 2, 1, 2);
    sim_run_seq(&s, 10, 1e9);
    assert_int_equal(s.incumbent, s.ids[2]);
    assert_int_equal(s.n_runs, 2);
    sim_free(&s);

    /* A result nobody asked for (parallel engine) only counts. */

    sim_init(&s, 2, 2);
    s.o.n_workers = 2;
    sim_start(&s);
    ri.config_id = s.ids[2];
    assert_int_equal(smac_intensifier_process_result(s.it, &ri, &v, 0, 1.0, NULL, &err), 0);
    smac_intensifier_counters c;
    smac_intensifier_get_counters(s.it, &c);
    assert_int_equal(c.num_run, 1);
    sim_free(&s);
}

int main(void)
{
    smac_log_set_level(SMAC_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_config_becomes_incumbent),
        cmocka_unit_test(challenger_rejected_early),
        cmocka_unit_test(full_race_tie_keeps_incumbent),
        cmocka_unit_test(winner_then_default_raced),
        cmocka_unit_test(n_doubling_batches),
        cmocka_unit_test(adaptive_capping),
        cmocka_unit_test(capping_stops_basis_race),
        cmocka_unit_test(min_r_and_max_r),
        cmocka_unit_test(seeds_deterministic_and_random),
        cmocka_unit_test(time_bound_after_min_chall),
        cmocka_unit_test(challenger_equal_to_incumbent_skipped),
        cmocka_unit_test(determinism_for_a_seed),
        cmocka_unit_test(first_config_with_imported_runs),
        cmocka_unit_test(change_log_lines),
        cmocka_unit_test(simple_intensifier),
        cmocka_unit_test(parallel_same_incumbent_as_sequential),
        cmocka_unit_test(parallel_batches_and_concurrent_races),
        cmocka_unit_test(random_scenarios),
        cmocka_unit_test(bad_options_and_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
