/*
 * The challenger stream and the random-configuration choosers (see
 * challengers.h; algorithms.md §9.5, SMAC3's ChallengerList and
 * random_configuration_chooser.py).
 *
 * Order of decisions per request, as SMAC3: once the optimiser's list has
 * been computed and fully handed out, the stream ends; otherwise the chooser
 * is asked (this consumes a draw of its generator even when the answer is
 * "no"), and only a "no" computes the list.
 */
#include "acq/challengers.h"

#include <math.h>
#include <string.h>

#include "util/error.h"

/* ------------------------------------------------ random choosers */

static void chooser_base(smac_chooser *c, smac_chooser_kind kind, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    smac_rng_seed(&c->rng, seed, 0);
}

void smac_chooser_init_prob(smac_chooser *c, double prob, uint64_t seed)
{
    chooser_base(c, SMAC_CHOOSER_PROB, seed);
    c->prob = prob;
}

void smac_chooser_init_prob_cooldown(smac_chooser *c, double prob, double cool_down_fac, uint64_t seed)
{
    chooser_base(c, SMAC_CHOOSER_PROB_COOLDOWN, seed);
    c->prob = prob;
    c->cool_down_fac = cool_down_fac;
}

void smac_chooser_init_no_cooldown(smac_chooser *c, double modulus)
{
    chooser_base(c, SMAC_CHOOSER_NO_COOLDOWN, 0);
    c->modulus = modulus;
}

void smac_chooser_init_linear_cooldown(smac_chooser *c, double start_modulus, double modulus_increment,
                                       double end_modulus)
{
    chooser_base(c, SMAC_CHOOSER_LINEAR_COOLDOWN, 0);
    c->modulus = start_modulus;
    c->modulus_increment = modulus_increment;
    c->end_modulus = end_modulus;
}

int smac_chooser_check(smac_chooser *c, int iteration)
{
    switch (c->kind) {
    case SMAC_CHOOSER_PROB:
    case SMAC_CHOOSER_PROB_COOLDOWN:
        return smac_rng_uniform(&c->rng) < c->prob;
    case SMAC_CHOOSER_NO_COOLDOWN:
        /* Python's float %: same as fmod for the non-negative operands here */
        return fmod((double)iteration, c->modulus) < 1.0;
    case SMAC_CHOOSER_LINEAR_COOLDOWN:
        if (fmod((double)(iteration - c->last_iteration), c->modulus) < 1.0) {
            c->last_iteration = iteration;
            return 1;
        }
        return 0;
    }
    return 0;
}

void smac_chooser_next_iteration(smac_chooser *c)
{
    switch (c->kind) {
    case SMAC_CHOOSER_PROB_COOLDOWN:
        c->prob *= c->cool_down_fac;
        break;
    case SMAC_CHOOSER_LINEAR_COOLDOWN:
        c->modulus += c->modulus_increment;
        if (c->modulus > c->end_modulus)
            c->modulus = c->end_modulus;
        c->last_iteration = 0;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------ challenger stream */

int smac_challengers_init(smac_challengers *ch, const smac_cs *cs, smac_chooser *chooser,
                          smac_rng *sample_rng, smac_challenger_fill_fn fill, void *fill_ctx,
                          smac_error *err)
{
    memset(ch, 0, sizeof *ch);
    if (!cs || !fill || (chooser && !sample_rng))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "a challenger stream needs a space, a fill callback and, with a "
                              "chooser, a sampling generator");
    ch->cs = cs;
    ch->chooser = chooser;
    ch->sample_rng = sample_rng;
    ch->fill = fill;
    ch->fill_ctx = fill_ctx;
    ch->iteration = 1; /* 1-based so that NoCoolDown does not start with a random one */
    ch->n_random_only = -1;
    smac_acq_list_init(&ch->list, smac_cs_n_params(cs));
    if (chooser)
        smac_chooser_next_iteration(chooser);
    return 0;
}

int smac_challengers_init_random(smac_challengers *ch, const smac_cs *cs, smac_rng *sample_rng, int n,
                                 smac_error *err)
{
    memset(ch, 0, sizeof *ch);
    if (!cs || !sample_rng || n < 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "a random challenger stream needs a space, a generator and n >= 0");
    ch->cs = cs;
    ch->sample_rng = sample_rng;
    ch->iteration = 1;
    ch->n_random_only = n;
    smac_acq_list_init(&ch->list, smac_cs_n_params(cs));
    return 0;
}

void smac_challengers_free(smac_challengers *ch)
{
    if (!ch)
        return;
    smac_acq_list_free(&ch->list);
    memset(ch, 0, sizeof *ch);
}

int smac_challengers_computed(const smac_challengers *ch) { return ch->computed; }

static int random_challenger(smac_challengers *ch, double *config, const char **origin, smac_error *err)
{
    int rc = smac_cs_sample(ch->cs, ch->sample_rng, config, err);
    if (rc)
        return rc;
    if (origin)
        *origin = SMAC_ORIGIN_RANDOM_SEARCH;
    return 1;
}

int smac_challengers_next(smac_challengers *ch, double *config, const char **origin, smac_error *err)
{
    if (!ch->cs)
        return smac_error_set(err, SMAC_ERR_INVALID, "challenger stream used before init");
    if (ch->n_random_only >= 0) {
        if (ch->n_random_only == 0)
            return 0;
        ch->n_random_only--;
        return random_challenger(ch, config, origin, err);
    }
    if (ch->computed && ch->index >= ch->list.n)
        return 0;
    if (ch->chooser) {
        int random = smac_chooser_check(ch->chooser, ch->iteration);
        ch->iteration++;
        if (random)
            return random_challenger(ch, config, origin, err);
    }
    if (!ch->computed) {
        smac_acq_list_clear(&ch->list);
        int rc = ch->fill(ch->fill_ctx, &ch->list, err);
        if (rc)
            return rc < 0 ? rc : SMAC_ERR_RUNTIME;
        if (ch->list.n_params != smac_cs_n_params(ch->cs))
            return smac_error_set(err, SMAC_ERR_RUNTIME, "challenger list has the wrong width");
        ch->computed = 1;
        ch->index = 0;
    }
    if (ch->index >= ch->list.n)
        return 0;
    int P = ch->list.n_params;
    memcpy(config, &ch->list.configs[(size_t)ch->index * P], (size_t)P * sizeof *config);
    if (origin)
        *origin = ch->list.origins[ch->index];
    ch->index++;
    return 1;
}
