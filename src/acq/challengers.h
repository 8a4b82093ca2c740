/*
 * The challenger stream (algorithms.md §9.5): what the intensifier pulls
 * challengers from. It interleaves uniformly random configurations (origin
 * "Random Search") with the acquisition optimiser's list, as SMAC3's
 * ChallengerList does, and a random-configuration chooser decides which
 * comes next.
 *
 * Laziness matters: the intensifier often needs only one or two
 * challengers per iteration, and the optimiser's list costs thousands of
 * model predictions. So the list is produced by a callback that runs only
 * when the first non-random challenger is requested; a stream that only
 * ever hands out random configurations never calls it.
 *
 * The chooser is long-lived (one per run, it carries its own generator and
 * cool-down state); a stream is created per intensifier iteration and
 * borrows it.
 */
#ifndef SMAC_ACQ_CHALLENGERS_H
#define SMAC_ACQ_CHALLENGERS_H

#include <stdint.h>

#include "acq/acq_optimizer.h"
#include "smac.h"

/* ------------------------------------------------ random choosers */

typedef enum smac_chooser_kind {
    SMAC_CHOOSER_PROB,           /* random with probability prob (all facades) */
    SMAC_CHOOSER_PROB_COOLDOWN,  /* prob multiplied by cool_down_fac every SMBO iteration */
    SMAC_CHOOSER_NO_COOLDOWN,    /* iteration i (1-based) random iff fmod(i, modulus) < 1 */
    SMAC_CHOOSER_LINEAR_COOLDOWN /* modulus grows by modulus_increment up to end_modulus */
} smac_chooser_kind;

typedef struct smac_chooser {
    smac_chooser_kind kind;
    double prob;
    double cool_down_fac;
    double modulus;
    double modulus_increment;
    double end_modulus;
    int last_iteration;
    smac_rng rng;
} smac_chooser;

void smac_chooser_init_prob(smac_chooser *c, double prob, uint64_t seed);
void smac_chooser_init_prob_cooldown(smac_chooser *c, double prob, double cool_down_fac, uint64_t seed);
void smac_chooser_init_no_cooldown(smac_chooser *c, double modulus);
void smac_chooser_init_linear_cooldown(smac_chooser *c, double start_modulus, double modulus_increment,
                                       double end_modulus);
/* 1 if the challenger number `iteration` (1-based, per stream) is to be random. */
int smac_chooser_check(smac_chooser *c, int iteration);
/* Called once per SMBO iteration (when a stream is created). */
void smac_chooser_next_iteration(smac_chooser *c);

/* ------------------------------------------------ challenger stream */

/* Fills *out (cleared by the stream beforehand, n_params wide) with the
 * optimiser's challengers, best first -- typically a closure calling
 * smac_acq_maximize. Returns 0 or a negative status with err set. */
typedef int (*smac_challenger_fill_fn)(void *ctx, smac_acq_list *out, smac_error *err);

typedef struct smac_challengers {
    const smac_cs *cs;
    smac_chooser *chooser;     /* borrowed; NULL = never random */
    smac_rng *sample_rng;      /* borrowed sampler generator */
    smac_challenger_fill_fn fill;
    void *fill_ctx;
    smac_acq_list list;        /* owned: the optimiser's list once computed */
    int computed;
    int index;                 /* next entry of list */
    int iteration;             /* 1-based count of challengers handed out + 1 */
    int n_random_only;         /* random-only stream: configurations left, else -1 */
} smac_challengers;

/* A stream over fill's list with random configurations interleaved by
 * `chooser`; calls smac_chooser_next_iteration(chooser) (SMAC3 does so when
 * it builds the stream). All pointers are borrowed and must outlive the
 * stream. */
int smac_challengers_init(smac_challengers *ch, const smac_cs *cs, smac_chooser *chooser,
                          smac_rng *sample_rng, smac_challenger_fill_fn fill, void *fill_ctx,
                          smac_error *err);
/* A stream of exactly n uniformly random configurations (what SMAC3 returns
 * while there is no data to train a model on: n = 1). */
int smac_challengers_init_random(smac_challengers *ch, const smac_cs *cs, smac_rng *sample_rng, int n,
                                 smac_error *err);
void smac_challengers_free(smac_challengers *ch);

/* Writes the next challenger into config (n_params doubles) and its origin
 * (a static string; may be NULL) and returns 1; returns 0 when the stream is
 * exhausted, or a negative status (sampling or fill failed). */
int smac_challengers_next(smac_challengers *ch, double *config, const char **origin, smac_error *err);

/* Whether the optimiser's list has been computed (for tests and logs). */
int smac_challengers_computed(const smac_challengers *ch);

#endif
