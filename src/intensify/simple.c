/*
 * SMAC3's SimpleIntensifier (spec algorithms.md §5.1): plain Bayesian
 * optimisation for parallel runners. Each request takes the next challenger
 * nobody has run yet (from a fresh stream: SMAC3 refits the model for every
 * request) and runs it once, on the last training instance, with the full
 * cutoff and no capping, while fewer than n_workers runs are in flight.
 * Each result is compared with the incumbent (§4.4) and may replace it.
 *
 * Two changes from v1.1, both for the better:
 *   - with random seeds the (instance, seed) pairs of two configurations
 *     never match, so v1.1's comparison is undecided and its incumbent
 *     becomes None; we compare per instance (mean over seeds) instead, as
 *     the spec recommends, and an undecided comparison keeps the incumbent;
 *   - the worker check comes before a challenger is drawn (v1.1 drew one,
 *     fitting the model, and then threw it away on WAIT).
 */
#include <stdlib.h>
#include <string.h>

#include "intensify/intensify_internal.h"
#include "util/log.h"

static int handed_out(const smac_intensifier *it, int config)
{
    return (size_t)config < it->handed_out.len && it->handed_out.items[config];
}

static int mark_handed_out(smac_intensifier *it, int config)
{
    size_t need = (size_t)config + 1;
    if (need > it->handed_out.len) {
        if (SMAC_VEC_RESERVE(&it->handed_out, need) != 0)
            return SMAC_ERR_NOMEM;
        memset(it->handed_out.items + it->handed_out.len, 0, need - it->handed_out.len);
        it->handed_out.len = need;
    }
    it->handed_out.items[config] = 1;
    return 0;
}

int intens_simple_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                           int n_running, smac_intent *intent, smac_run_info *out, smac_intensifier_event *ev,
                           smac_error *err)
{
    (void)incumbent;
    (void)ev;
    *intent = SMAC_INTENT_SKIP;
    if ((size_t)n_running < it->flights.len)
        n_running = (int)it->flights.len;
    if (n_running >= it->o.n_workers) {
        *intent = SMAC_INTENT_WAIT;
        return 0;
    }
    int c = 0;
    for (;;) {
        int rc = intens_pull(it, src, &c, err);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            SMAC_DEBUG(it->logger, "No valid challenger was generated!");
            it->drop_stream = 1;
            return 0;
        }
        /* Only configurations nobody has run: not by us, not by a pSMAC peer. */
        if (!handed_out(it, c) && smac_rh_n_runs(it->rh, c) == 0)
            break;
    }
    it->drop_stream = 1; /* one stream per request */
    smac_rh_isb pair;
    pair.instance = it->inst[it->n_inst - 1];
    pair.seed = it->o.deterministic ? 0 : (int64_t)smac_rng_below(&it->rng, (uint64_t)INTENS_MAXINT);
    pair.budget = 0.0;
    intens_flight f = {c, pair, 0};
    if (mark_handed_out(it, c) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    SMAC_VEC_PUSH(&it->flights, f, nomem);
    intens_fill_run(out, c, pair, it->o.cutoff, 0);
    *intent = SMAC_INTENT_RUN;
    return 0;
nomem:
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

int intens_simple_process(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v, int incumbent,
                          smac_intensifier_event *ev, smac_error *err)
{
    (void)v;
    smac_rh_isb key = {ri->instance, ri->seed, ri->budget};
    for (size_t f = 0; f < it->flights.len; f++) {
        if (it->flights.items[f].config == ri->config_id && intens_pair_eq(it->flights.items[f].pair, key)) {
            memmove(it->flights.items + f, it->flights.items + f + 1,
                    (it->flights.len - f - 1) * sizeof *it->flights.items);
            it->flights.len--;
            break;
        }
    }
    int inc = incumbent;
    if (inc == 0) {
        SMAC_INFO(it->logger, "First run, no incumbent provided; challenger is assumed to be the incumbent");
        inc = ri->config_id;
    }
    it->num_run++;
    intens_outcome outcome;
    int rc = intens_compare(it, inc, ri->config_id, !it->o.deterministic, ev, &outcome, err);
    if (rc < 0)
        return rc;
    return outcome == INTENS_CHANGE ? ri->config_id : inc;
}
