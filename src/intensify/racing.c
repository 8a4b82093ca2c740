/*
 * Racing challengers against the incumbent, in five lines:
 *  1. Before each challenger the incumbent gets one more run, on an instance it has run least.
 *  2. The challenger runs on N of the incumbent's pairs it lacks; N = max(1, minR), doubled while undecided.
 *  3. Worse on the common pairs (>= minR runs): rejected; all pairs and strictly better: new incumbent.
 *  4. Runtime: runs capped at slack x incumbent's time on the batch - own time; cap <= 0 or CAPPED ends it.
 *  5. After a change the default races the new incumbent; iterations end after min_chall and the time bound.
 *
 * This file is SMAC3 v1.1's Intensifier with one worker, stage for stage
 * (spec algorithms.md §4.1-4.6): the same decisions in the same order, with
 * the intensifier's own generator for the incumbent's instance and seed and
 * for the order of a challenger's pairs. Where v1.1 misbehaves we follow the
 * spec's intent and say so:
 *   - a CAPPED challenger run abandons the challenger (v1.1 only leaves the
 *     stage, so a capped run in the middle of a batch, or after an undecided
 *     round, resumes the same challenger -- and a capped race of the default
 *     can then livelock on "challenger == incumbent");
 *   - a challenger that adaptive capping stops before a run is abandoned
 *     even when the comparison is undecided (v1.1 doubles N and retries it
 *     after every incumbent run: with minR > 1 and a timed-out first run it
 *     loops forever once the incumbent has run every instance);
 *   - a decision taken inside next_run (a challenger that needs no more
 *     runs) updates the caller's incumbent; v1.1 dropped it;
 *   - a first configuration that already has (imported) runs is adopted as
 *     the incumbent at once (parallel.md §1.6 recommendation), and a pair a
 *     pSMAC peer ran for the challenger after its batch was drawn is not run
 *     again.
 * Several workers are handled in racing_parallel.c.
 */
#include <math.h>
#include <stdlib.h>

#include "intensify/intensify_internal.h"
#include "util/log.h"

/* SMAC3's get_next_challenger: a new challenger when there is none yet or
 * the current one has no pairs left to run; otherwise the current one. An
 * exhausted stream ends the iteration (*chal = 0). */
static int next_challenger(smac_intensifier *it, const smac_challenger_source *src, int *chal,
                           smac_intensifier_event *ev, smac_error *err)
{
    intens_seq *s = &it->seq;
    if (s->current_challenger == 0 || (s->stage == STAGE_RUN_CHALLENGER && s->to_run.len == 0)) {
        int c;
        int rc = intens_pull(it, src, &c, err);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            intens_next_iteration(it, ev);
            *chal = 0;
            return 0;
        }
        it->chall_indx++;
        s->current_challenger = c;
        s->N = it->o.min_r > 1 ? it->o.min_r : 1;
        s->to_run.len = 0;
        *chal = c;
        return 0;
    }
    *chal = s->current_challenger;
    return 0;
}

/* SMAC3's _process_racer_results: once the batch is done, compare and move
 * on. `capped`: adaptive capping stopped the challenger, which gets no more
 * runs even if the comparison is undecided. Returns the (possibly new)
 * incumbent or a negative status. */
static int racer_results(smac_intensifier *it, int chal, int inc, int capped, smac_intensifier_event *ev,
                         smac_error *err)
{
    intens_seq *s = &it->seq;
    int n = smac_rh_n_runs(it->rh, chal);
    double perf = smac_rh_cost(it->rh, chal);
    if (s->to_run.len > 0) {
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, still %d runs to go (continue racing)",
                   n, perf, (int)s->to_run.len);
        return inc;
    }
    intens_outcome outcome;
    int rc = intens_compare(it, inc, chal, 0, ev, &outcome, err);
    if (rc < 0)
        return rc;
    switch (outcome) {
    case INTENS_KEEP:
        s->stage = STAGE_RUN_INCUMBENT;
        s->continue_challenger = 0;
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, but worse than incumbent", n, perf);
        break;
    case INTENS_CHANGE:
        inc = chal;
        s->continue_challenger = 0;
        s->stage = it->o.race_against && it->o.race_against != chal && smac_rh_config(it->rh, it->o.race_against)
                       ? STAGE_RUN_BASIS
                       : STAGE_RUN_INCUMBENT;
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, becomes new incumbent", n, perf);
        break;
    case INTENS_UNDECIDED:
        if (capped) {
            s->continue_challenger = 0;
            SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, abandoned (adaptive capping)", n,
                       perf);
            break;
        }
        if (s->N < (1 << 29))
            s->N *= 2;
        s->continue_challenger = 1;
        SMAC_DEBUG(it->logger, "Estimated cost of challenger on %d runs: %.4f, adding %d runs to the queue", n, perf,
                   s->N / 2);
        break;
    }
    return inc;
}

int intens_seq_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                        int n_running, smac_intent *intent, smac_run_info *out, smac_intensifier_event *ev,
                        smac_error *err)
{
    intens_seq *s = &it->seq;
    int rc;
    *intent = SMAC_INTENT_SKIP;
    /* One worker: SMAC3's runner had finished every run before asking again. */
    if (n_running > 0) {
        *intent = SMAC_INTENT_WAIT;
        return 0;
    }
    /* A run whose result never came (e.g. STOP) is simply asked for again. */
    if (s->stage == STAGE_PROCESS_FIRST_CONFIG_RUN)
        s->stage = STAGE_RUN_FIRST_CONFIG;
    else if (s->stage == STAGE_PROCESS_INCUMBENT_RUN)
        s->stage = STAGE_RUN_INCUMBENT;

    int inc = *incumbent;
    if (s->stage == STAGE_RUN_FIRST_CONFIG) {
        if (inc == 0) {
            SMAC_INFO(it->logger, "First run, no incumbent provided; challenger is assumed to be the incumbent");
            int c;
            if ((rc = next_challenger(it, src, &c, ev, err)) < 0)
                return rc;
            if (c == 0)
                return 0;
            if (smac_rh_n_runs(it->rh, c) > 0) {
                /* Its runs came from pSMAC peers: it is the incumbent already. */
                *incumbent = c;
                s->stage = STAGE_RUN_INCUMBENT;
                intens_log_inc_cost(it, c);
                intens_outcome outcome;
                return intens_compare(it, c, c, 0, ev, &outcome, err);
            }
            inc = c;
        } else if (smac_rh_n_runs(it->rh, inc) > 0) {
            SMAC_DEBUG(it->logger, "Skipping RUN_FIRST_CONFIG stage since incumbent has already been ran");
            s->stage = STAGE_RUN_INCUMBENT;
        }
    }

    if (s->stage == STAGE_RUN_FIRST_CONFIG || s->stage == STAGE_RUN_INCUMBENT) {
        if ((rc = intens_inc_available(it, inc, NULL, 0)) < 0)
            return smac_error_set(err, rc, "out of memory");
        if (it->avail.len > 0 && smac_rh_n_runs(it->rh, inc) < it->o.max_r) {
            smac_rh_isb pair = intens_draw_inc_run(it, it->avail.items, it->avail.len);
            SMAC_DEBUG(it->logger, "Add run of incumbent for instance=%s", intens_instance_name(it, pair.instance));
            s->stage = s->stage == STAGE_RUN_FIRST_CONFIG ? STAGE_PROCESS_FIRST_CONFIG_RUN
                                                          : STAGE_PROCESS_INCUMBENT_RUN;
            intens_fill_run(out, inc, pair, it->o.cutoff, 0);
            *intent = SMAC_INTENT_RUN;
            return 0;
        }
        SMAC_DEBUG(it->logger, "No further instance-seed pairs for incumbent available.");
        s->stage = STAGE_RUN_CHALLENGER;
    }

    int chal;
    if (s->stage == STAGE_RUN_BASIS) {
        SMAC_DEBUG(it->logger, "Race against basis configuration after incumbent change.");
        chal = it->o.race_against;
    } else if (s->current_challenger && s->continue_challenger) {
        chal = s->current_challenger;
    } else if ((rc = next_challenger(it, src, &chal, ev, err)) < 0) {
        return rc;
    }
    if (chal == 0)
        return 0;
    if (chal == inc && s->stage == STAGE_RUN_CHALLENGER) {
        SMAC_DEBUG(it->logger, "Challenger was the same as the current incumbent; Skipping challenger");
        return 0;
    }
    if (smac_log_enabled(SMAC_LOG_DEBUG)) {
        const char *origin = smac_rh_config_origin(it->rh, chal);
        SMAC_DEBUG(it->logger, "Intensify on configuration %d", chal);
        if (origin)
            SMAC_DEBUG(it->logger, "Configuration origin: %s", origin);
    }

    if (s->to_run.len == 0 &&
        (rc = intens_instances_to_run(it, inc, chal, s->N, NULL, 0, &s->to_run, &s->inc_sum_cost)) < 0)
        return smac_error_set(err, rc, "out of memory");
    double cutoff = it->o.cutoff;
    int time_left = 1;
    if (it->o.run_obj_runtime) {
        cutoff = intens_adapted_cutoff(it, chal, s->inc_sum_cost);
        time_left = !(cutoff <= 0);
    }
    /* Pairs a pSMAC peer ran for this challenger meanwhile need no run. */
    size_t n_have = 0;
    const smac_rh_isb *have = smac_rh_config_runs(it->rh, chal, &n_have);
    while (s->to_run.len > 0 && intens_pairs_contains(have, n_have, s->to_run.items[s->to_run.len - 1]))
        s->to_run.len--;
    if (s->to_run.len == 0 || !time_left) {
        if (!time_left) {
            /* Hopeless by adaptive capping: drop the rest of the batch. */
            s->to_run.len = 0;
            s->stage = STAGE_RUN_INCUMBENT;
            SMAC_DEBUG(it->logger, "Stop challenger itensification due to adaptive capping.");
        }
        SMAC_DEBUG(it->logger, "No further runs for challenger possible");
        int r = racer_results(it, chal, inc, !time_left, ev, err);
        if (r < 0)
            return r;
        *incumbent = r;
        return 0;
    }
    smac_rh_isb pair = s->to_run.items[--s->to_run.len];
    intens_log_cutoff(it, cutoff);
    SMAC_DEBUG(it->logger, "Add run of challenger");
    int capped = isfinite(it->o.cutoff) && cutoff < it->o.cutoff;
    intens_fill_run(out, chal, pair, cutoff, capped);
    *intent = SMAC_INTENT_RUN;
    return 0;
}

int intens_seq_process(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v, int incumbent,
                       double time_bound, smac_intensifier_event *ev, smac_error *err)
{
    intens_seq *s = &it->seq;
    int inc = incumbent;
    int rc;
    if (s->stage == STAGE_PROCESS_FIRST_CONFIG_RUN && inc == 0) {
        SMAC_INFO(it->logger, "First run, no incumbent provided; challenger is assumed to be the incumbent");
        inc = ri->config_id;
    }
    if (s->stage == STAGE_PROCESS_FIRST_CONFIG_RUN || s->stage == STAGE_PROCESS_INCUMBENT_RUN) {
        it->ta_time += v->time;
        it->num_run++;
        intens_log_inc_cost(it, inc);
        if (s->stage == STAGE_PROCESS_FIRST_CONFIG_RUN) {
            s->stage = STAGE_RUN_INCUMBENT;
            intens_next_iteration(it, ev);
        } else {
            int n = smac_rh_n_runs(it->rh, inc);
            s->stage = n >= it->o.min_r || n >= it->o.max_r ? STAGE_RUN_CHALLENGER : STAGE_RUN_INCUMBENT;
        }
        intens_outcome outcome;
        if ((rc = intens_compare(it, inc, inc, 0, ev, &outcome, err)) < 0)
            return rc;
    } else {
        it->num_run++;
        it->num_chall_run++;
        if (v->status == SMAC_STATUS_CAPPED) {
            SMAC_DEBUG(it->logger, "Challenger itensification timed out due to adaptive capping.");
            s->stage = STAGE_RUN_INCUMBENT;
            s->to_run.len = 0;
            s->continue_challenger = 0;
        } else {
            it->ta_time += v->time;
            if ((rc = racer_results(it, ri->config_id, inc, 0, ev, err)) < 0)
                return rc;
            inc = rc;
        }
    }
    intens_add_elapsed(it, v->starttime, v->endtime);
    if (s->stage == STAGE_RUN_INCUMBENT && it->chall_indx >= it->o.min_chall && it->num_chall_run > 0)
        intens_check_time_bound(it, time_bound, ev);
    return inc;
}
