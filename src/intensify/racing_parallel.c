/*
 * Racing with several workers (n_workers > 1). SMAC3 v1.1 refuses this
 * (parallel.md §3); we keep the racing rules of racing.c and only change
 * *when* runs start:
 *
 *   - a race hands out its whole batch (N pairs) at once instead of one pair
 *     per call;
 *   - while earlier races wait for results, further challengers start their
 *     own races (each race has its own pairs, N and state);
 *   - the incumbent gets its run after every decision as in the sequential
 *     rhythm, runs up to minR first, and extra runs when nothing else can
 *     start (the source is exhausted);
 *   - WAIT only when no worker is free or nothing at all can start.
 *
 * Invariants: a race decides only when its batch is complete (every run it
 * handed out has come back), by the comparison of §4.4 against whoever is
 * the incumbent then; adaptive capping counts only finished runs (so caps
 * are never tighter than the sequential ones); a (config, instance, seed)
 * is never in flight twice, nor handed out again once it has a counted
 * result (a CAPPED one may be run again, as in SMAC3); a
 * race is never dropped: it ends by a decision, by a CAPPED run (abandoned
 * once the rest of its batch is back), or by hopeless capping. The
 * incumbent can change while other races are open: their pairs came from
 * the old incumbent, which the winner had all of, so they stay valid.
 * One trajectory entry at most per call: a call that decides a change
 * returns SKIP at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intensify/intensify_internal.h"
#include "util/log.h"

/* ---------------------------------------------------------- bookkeeping */

/* The pairs `config` has in flight, into it->tmp_x. */
static int flights_of(smac_intensifier *it, int config)
{
    it->tmp_x.len = 0;
    for (size_t i = 0; i < it->flights.len; i++) {
        if (it->flights.items[i].config != config)
            continue;
        SMAC_VEC_PUSH(&it->tmp_x, it->flights.items[i].pair, nomem);
    }
    return 0;
nomem:
    return SMAC_ERR_NOMEM;
}

static int add_flight(smac_intensifier *it, int config, smac_rh_isb pair, int race)
{
    intens_flight f = {config, pair, race};
    SMAC_VEC_PUSH(&it->flights, f, nomem);
    return 0;
nomem:
    return SMAC_ERR_NOMEM;
}

static int find_race(const smac_intensifier *it, int config)
{
    for (size_t i = 0; i < it->par.races.len; i++)
        if (it->par.races.items[i].config == config)
            return (int)i;
    return -1;
}

static int race_by_id(const smac_intensifier *it, int id)
{
    for (size_t i = 0; i < it->par.races.len; i++)
        if (it->par.races.items[i].id == id)
            return (int)i;
    return -1;
}

static void close_race(smac_intensifier *it, size_t i)
{
    intens_par *p = &it->par;
    SMAC_VEC_FREE(&p->races.items[i].to_run);
    memmove(p->races.items + i, p->races.items + i + 1, (p->races.len - i - 1) * sizeof *p->races.items);
    p->races.len--;
    p->inc_due++; /* as in the sequential rhythm: one incumbent run per decided challenger */
}

void intens_par_free(smac_intensifier *it)
{
    for (size_t i = 0; i < it->par.races.len; i++)
        SMAC_VEC_FREE(&it->par.races.items[i].to_run);
    SMAC_VEC_FREE(&it->par.races);
}

/* Opens a race of `config` against `inc` with batch size N. */
static int open_race(smac_intensifier *it, int config, int inc, int N, int basis)
{
    intens_race r;
    memset(&r, 0, sizeof r);
    r.id = it->par.next_race_id++;
    r.config = config;
    r.basis = basis;
    r.N = N;
    double unused;
    int rc = flights_of(it, config);
    if (rc == 0)
        rc = intens_instances_to_run(it, inc, config, N, it->tmp_x.items, it->tmp_x.len, &r.to_run, &unused);
    if (rc == 0 && SMAC_VEC_RESERVE(&it->par.races, it->par.races.len + 1) != 0)
        rc = SMAC_ERR_NOMEM;
    if (rc != 0) {
        SMAC_VEC_FREE(&r.to_run);
        return rc;
    }
    it->par.races.items[it->par.races.len++] = r;
    return 0;
}

/* ---------------------------------------------------------- incumbent */

/* Hands out one more run of `config` as an incumbent run, if it has an
 * instance left and fewer than maxR runs (finished + in flight). */
static int try_inc_run(smac_intensifier *it, int config, smac_run_info *out, int *started)
{
    *started = 0;
    int rc = flights_of(it, config);
    if (rc != 0)
        return rc;
    if ((size_t)smac_rh_n_runs(it->rh, config) + it->tmp_x.len >= (size_t)it->o.max_r)
        return 0;
    if ((rc = intens_inc_available(it, config, it->tmp_x.items, it->tmp_x.len)) != 0)
        return rc;
    if (it->avail.len == 0)
        return 0;
    smac_rh_isb pair = intens_draw_inc_run(it, it->avail.items, it->avail.len);
    if (intens_pairs_contains(it->tmp_x.items, it->tmp_x.len, pair))
        return 0; /* a random seed that is already running: let it be */
    if ((rc = add_flight(it, config, pair, 0)) != 0)
        return rc;
    SMAC_DEBUG(it->logger, "Add run of incumbent for instance=%s", intens_instance_name(it, pair.instance));
    intens_fill_run(out, config, pair, it->o.cutoff, 0);
    *started = 1;
    return 0;
}

/* ---------------------------------------------------------------- races */

/* The incumbent's summed cost on the pairs the challenger will have once
 * this batch is done (its finished and in-flight pairs and the batch). */
static double race_inc_sum(smac_intensifier *it, const intens_race *r, int inc)
{
    size_t n_i = 0, n_c = 0;
    const smac_rh_isb *ip = smac_rh_config_runs(it->rh, inc, &n_i);
    const smac_rh_isb *cp = smac_rh_config_runs(it->rh, r->config, &n_c);
    if (flights_of(it, r->config) != 0 || intens_set_build(&it->tmp_b, cp, n_c, it->tmp_x.items, it->tmp_x.len) != 0 ||
        intens_set_build(&it->tmp_c, r->to_run.items, r->to_run.len, NULL, 0) != 0 ||
        SMAC_VEC_RESERVE(&it->tmp_a, n_i) != 0)
        return NAN;
    it->tmp_a.len = 0;
    for (size_t k = 0; k < n_i; k++)
        if (intens_set_contains(&it->tmp_b, ip[k]) || intens_set_contains(&it->tmp_c, ip[k]))
            it->tmp_a.items[it->tmp_a.len++] = ip[k];
    return smac_rh_sum_cost(it->rh, inc, it->tmp_a.items, it->tmp_a.len);
}

/* Hands out the race's next pair. *started = 0 when adaptive capping says
 * the challenger is hopeless: the rest of its batch is dropped. */
static int race_dispatch(smac_intensifier *it, intens_race *r, int inc, smac_run_info *out, int *started)
{
    *started = 0;
    size_t n_c = 0;
    const smac_rh_isb *cp = smac_rh_config_runs(it->rh, r->config, &n_c);
    while (r->to_run.len > 0) {
        smac_rh_isb pair = r->to_run.items[r->to_run.len - 1];
        /* A pSMAC peer may have run it meanwhile. */
        if (intens_pairs_contains(cp, n_c, pair)) {
            r->to_run.len--;
            continue;
        }
        double cutoff = it->o.cutoff;
        if (it->o.run_obj_runtime) {
            cutoff = intens_adapted_cutoff(it, r->config, race_inc_sum(it, r, inc));
            if (cutoff <= 0) {
                SMAC_DEBUG(it->logger, "Stop challenger itensification due to adaptive capping.");
                r->to_run.len = 0;
                r->cap_stop = 1;
                return 0;
            }
        }
        r->to_run.len--;
        int rc = add_flight(it, r->config, pair, r->id);
        if (rc != 0)
            return rc;
        r->n_inflight++;
        intens_log_cutoff(it, cutoff);
        SMAC_DEBUG(it->logger, "Add run of challenger %d (race %d, %d in flight)", r->config, r->id, r->n_inflight);
        intens_fill_run(out, r->config, pair, cutoff, isfinite(it->o.cutoff) && cutoff < it->o.cutoff);
        *started = 1;
        return 0;
    }
    return 0;
}

/* Decides race i, whose batch is complete. Closes it, or (undecided) gives
 * it the next batch. *inc is updated on a change; then the default is
 * raced against the new incumbent. */
static int race_decide(smac_intensifier *it, size_t i, int *inc, smac_intensifier_event *ev, smac_error *err)
{
    intens_race *r = &it->par.races.items[i];
    int config = r->config;
    int n = smac_rh_n_runs(it->rh, config);
    double perf = smac_rh_cost(it->rh, config);
    if (r->capped) {
        close_race(it, i);
        return 0;
    }
    intens_outcome outcome;
    int rc = intens_compare(it, *inc, config, 0, ev, &outcome, err);
    if (rc < 0)
        return rc;
    if (outcome == INTENS_KEEP) {
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, but worse than incumbent", n, perf);
        close_race(it, i);
        return 0;
    }
    if (outcome == INTENS_CHANGE) {
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, becomes new incumbent", n, perf);
        int N = r->N;
        *inc = config;
        close_race(it, i);
        int basis = it->o.race_against;
        if (basis && basis != config && find_race(it, basis) < 0 && smac_rh_config(it->rh, basis)) {
            SMAC_DEBUG(it->logger, "Race against basis configuration after incumbent change.");
            if ((rc = open_race(it, basis, config, N, 1)) != 0)
                return smac_error_set(err, rc, "out of memory");
        }
        return 0;
    }
    /* Undecided: twice the pairs (a hopeless capped one is not worth them). */
    if (r->cap_stop) {
        close_race(it, i);
        return 0;
    }
    if (r->N < (1 << 29))
        r->N *= 2;
    SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, adding %d runs to the queue", n, perf,
               r->N / 2);
    double unused;
    if ((rc = flights_of(it, config)) != 0 ||
        (rc = intens_instances_to_run(it, *inc, config, r->N, it->tmp_x.items, it->tmp_x.len, &r->to_run,
                                      &unused)) != 0)
        return smac_error_set(err, rc, "out of memory");
    if (r->to_run.len == 0)
        close_race(it, i); /* what it lacks is in flight for another reason: leave it */
    return 0;
}

/* ------------------------------------------------------------ next run */

int intens_par_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                        int n_running, smac_intent *intent, smac_run_info *out, smac_intensifier_event *ev,
                        smac_error *err)
{
    intens_par *p = &it->par;
    int rc, started;
    *intent = SMAC_INTENT_SKIP;
    if ((size_t)n_running < it->flights.len)
        n_running = (int)it->flights.len;
    if (n_running >= it->o.n_workers) {
        *intent = SMAC_INTENT_WAIT;
        return 0;
    }
    int inc = *incumbent;

    if (inc == 0) {
        /* No incumbent yet: its first run decides; meanwhile it gets more. */
        if (p->first_config == 0) {
            SMAC_INFO(it->logger, "First run, no incumbent provided; challenger is assumed to be the incumbent");
            int c;
            if ((rc = intens_pull(it, src, &c, err)) < 0)
                return rc;
            if (rc == 0) {
                intens_next_iteration(it, ev);
                *intent = n_running > 0 ? SMAC_INTENT_WAIT : SMAC_INTENT_SKIP;
                return 0;
            }
            if (smac_rh_n_runs(it->rh, c) > 0) {
                *incumbent = c;
                p->inc_due = 1;
                intens_log_inc_cost(it, c);
                intens_outcome outcome;
                return intens_compare(it, c, c, 0, ev, &outcome, err);
            }
            p->first_config = c;
        }
        if ((rc = try_inc_run(it, p->first_config, out, &started)) != 0)
            return smac_error_set(err, rc, "out of memory");
        if (started) {
            *intent = SMAC_INTENT_RUN;
            return 0;
        }
        *intent = n_running > 0 ? SMAC_INTENT_WAIT : SMAC_INTENT_SKIP;
        return 0;
    }

    /* 1. The incumbent's owed run, and runs up to minR. */
    if ((rc = flights_of(it, inc)) != 0)
        return smac_error_set(err, rc, "out of memory");
    if (p->inc_due > 0 || (size_t)smac_rh_n_runs(it->rh, inc) + it->tmp_x.len < (size_t)it->o.min_r) {
        if ((rc = try_inc_run(it, inc, out, &started)) != 0)
            return smac_error_set(err, rc, "out of memory");
        if (started) {
            if (p->inc_due > 0)
                p->inc_due--;
            *intent = SMAC_INTENT_RUN;
            return 0;
        }
        p->inc_due = 0;
    }

    /* 2. Open races: next pair of a batch, or a decision on a complete one. */
    for (size_t i = 0; i < p->races.len;) {
        intens_race *r = &p->races.items[i];
        if (r->to_run.len > 0) {
            if ((rc = race_dispatch(it, r, inc, out, &started)) != 0)
                return smac_error_set(err, rc, "out of memory");
            if (started) {
                *intent = SMAC_INTENT_RUN;
                return 0;
            }
        }
        if (r->to_run.len == 0 && r->n_inflight == 0) {
            if ((rc = race_decide(it, i, &inc, ev, err)) < 0)
                return rc;
            *incumbent = inc;
            if (ev->traj_entry)
                return 0;
            continue; /* closed (the next race moved to i) or undecided (a new batch to hand out) */
        }
        i++;
    }

    /* 3. A new challenger, racing from its first pair. */
    for (int tries = 0; tries < 16; tries++) {
        int c;
        if ((rc = intens_pull(it, src, &c, err)) < 0)
            return rc;
        if (rc == 0) {
            intens_next_iteration(it, ev);
            break;
        }
        it->chall_indx++;
        if (c == inc) {
            SMAC_DEBUG(it->logger, "Challenger was the same as the current incumbent; Skipping challenger");
            continue;
        }
        if (find_race(it, c) >= 0)
            continue; /* already racing */
        if ((rc = open_race(it, c, inc, it->o.min_r > 1 ? it->o.min_r : 1, 0)) != 0)
            return smac_error_set(err, rc, "out of memory");
        size_t i = p->races.len - 1;
        intens_race *r = &p->races.items[i];
        if (r->to_run.len > 0) {
            if ((rc = race_dispatch(it, r, inc, out, &started)) != 0)
                return smac_error_set(err, rc, "out of memory");
            if (started) {
                *intent = SMAC_INTENT_RUN;
                return 0;
            }
        }
        /* Nothing to run (it has the incumbent's pairs, or capping): decide now. */
        if ((rc = race_decide(it, i, &inc, ev, err)) < 0)
            return rc;
        *incumbent = inc;
        if (ev->traj_entry)
            return 0;
        if (p->races.len > i && p->races.items[i].config == c && p->races.items[i].to_run.len > 0) {
            r = &p->races.items[i];
            if ((rc = race_dispatch(it, r, inc, out, &started)) != 0)
                return smac_error_set(err, rc, "out of memory");
            if (started) {
                *intent = SMAC_INTENT_RUN;
                return 0;
            }
        }
    }

    /* 4. Nothing else can start: one more incumbent run. */
    if ((rc = try_inc_run(it, inc, out, &started)) != 0)
        return smac_error_set(err, rc, "out of memory");
    if (started) {
        *intent = SMAC_INTENT_RUN;
        return 0;
    }
    *intent = n_running > 0 ? SMAC_INTENT_WAIT : SMAC_INTENT_SKIP;
    return 0;
}

/* ------------------------------------------------------------- results */

int intens_par_process(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v, int incumbent,
                       double time_bound, smac_intensifier_event *ev, smac_error *err)
{
    intens_par *p = &it->par;
    int inc = incumbent;
    int rc;
    smac_rh_isb key = {ri->instance, ri->seed, ri->budget};
    size_t f = 0;
    while (f < it->flights.len &&
           !(it->flights.items[f].config == ri->config_id && intens_pair_eq(it->flights.items[f].pair, key)))
        f++;
    it->num_run++;
    intens_add_elapsed(it, v->starttime, v->endtime);
    if (f == it->flights.len) {
        /* Not one of ours (or processed already): it only counts as time. */
        if (v->status != SMAC_STATUS_CAPPED)
            it->ta_time += v->time;
        return inc;
    }
    intens_flight fl = it->flights.items[f];
    memmove(it->flights.items + f, it->flights.items + f + 1, (it->flights.len - f - 1) * sizeof *it->flights.items);
    it->flights.len--;

    if (fl.race == 0) {
        it->ta_time += v->time;
        intens_outcome outcome;
        if (inc == 0 && fl.config == p->first_config) {
            SMAC_INFO(it->logger, "First run, no incumbent provided; challenger is assumed to be the incumbent");
            inc = fl.config;
            p->first_config = 0;
            p->inc_due = 1;
            intens_log_inc_cost(it, inc);
            intens_next_iteration(it, ev);
            if ((rc = intens_compare(it, inc, inc, 0, ev, &outcome, err)) < 0)
                return rc;
        } else if (fl.config == inc) {
            intens_log_inc_cost(it, inc);
            if ((rc = intens_compare(it, inc, inc, 0, ev, &outcome, err)) < 0)
                return rc;
        }
    } else {
        it->num_chall_run++;
        int i = race_by_id(it, fl.race);
        if (v->status == SMAC_STATUS_CAPPED) {
            SMAC_DEBUG(it->logger, "Challenger itensification timed out due to adaptive capping.");
        } else {
            it->ta_time += v->time;
        }
        if (i >= 0) {
            intens_race *r = &p->races.items[i];
            r->n_inflight--;
            if (v->status == SMAC_STATUS_CAPPED) {
                r->capped = 1;
                r->to_run.len = 0;
            }
            if (r->n_inflight == 0 && r->to_run.len == 0) {
                if ((rc = race_decide(it, (size_t)i, &inc, ev, err)) < 0)
                    return rc;
            } else {
                SMAC_DEBUG(it->logger,
                           "Estimated cost of challenger on %d runs: %.4f, still %d runs to go (continue racing)",
                           smac_rh_n_runs(it->rh, fl.config), smac_rh_cost(it->rh, fl.config),
                           (int)(r->to_run.len + (size_t)r->n_inflight));
            }
        }
    }
    if (it->chall_indx >= it->o.min_chall && it->num_chall_run > 0)
        intens_check_time_bound(it, time_bound, ev);
    return inc;
}
