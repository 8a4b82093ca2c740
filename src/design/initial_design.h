/*
 * Initial designs (algorithms.md §3): the configurations SMAC evaluates
 * before it has a model -- the default, uniform random samples, a Latin
 * hypercube, a scrambled Sobol sequence or a factorial grid.
 *
 * How it fits: the main loop asks for the design once, before the first
 * iteration, and races the configurations in order (the first one is the
 * initial incumbent). Sizes follow SMAC3's quirks exactly
 * (smac_design_size); the point sets come from lhd.c and sobol.c as points of
 * the unit cube, which smac_design_from_unit turns into configurations
 * (vector encoding of include/smac.h).
 *
 * Randomness (algorithms.md §14): `rng` is the main RNG of the run (LHD and
 * Sobol draw their seeds from it, as SMAC3 draws randint(0, 1e6) / randint(0,
 * 1e7)); `sample_rng` is the configuration-space sampler's RNG, used by the
 * random design. Both are the caller's and are advanced.
 */
#ifndef SMAC_DESIGN_INITIAL_DESIGN_H
#define SMAC_DESIGN_INITIAL_DESIGN_H

#include <stdint.h>

#include "smac.h"

typedef enum smac_design_kind {
    SMAC_DESIGN_DEFAULT,
    SMAC_DESIGN_RANDOM,
    SMAC_DESIGN_LHD,
    SMAC_DESIGN_SOBOL,
    SMAC_DESIGN_FACTORIAL
} smac_design_kind;

/* Origins exactly as SMAC3 writes them into run histories/trajectories. */
#define SMAC_ORIGIN_DEFAULT "Default"
#define SMAC_ORIGIN_RANDOM_DESIGN "Random initial design."
#define SMAC_ORIGIN_LHD "LHD"
#define SMAC_ORIGIN_SOBOL "Sobol"
#define SMAC_ORIGIN_FACTORIAL "Factorial Design"
#define SMAC_ORIGIN_INITIAL_DESIGN "Initial design" /* anything without an origin */

/* "DEFAULT", "RANDOM", "LHD", "SOBOL", "FACTORIAL" (the scenario's
 * initial_incumbent values, case-sensitive as SMAC3) -> kind, or -1. */
int smac_design_kind_parse(const char *name);
const char *smac_design_kind_name(smac_design_kind kind);

/* How a facade builds its design (facades.md §1): the kind and SMAC3's
 * n_configs_x_params / max_config_fracs. `facade` is "SMAC4AC", "SMAC4HPO",
 * "SMAC4BB", "SMAC4MF", "ROAR" or "HB4AC"/"Hyperband"; `initial_incumbent`
 * (the scenario option, NULL = "DEFAULT") only matters for SMAC4AC and ROAR.
 * Errors: unknown facade or initial_incumbent, and SMAC4HPO/SMAC4BB on a
 * space with more than 21201 parameters (SMAC3's Sobol limit). */
int smac_design_facade_defaults(const char *facade, const char *initial_incumbent, int n_params,
                                smac_design_kind *kind, double *n_configs_x_params,
                                double *max_config_fracs, smac_error *err);

/* The size of an initial design, as SMAC3's InitialDesign constructor:
 *   init_budget >= 0            -> init_budget
 *   else n_configs >= 0         -> n_configs (a user-given list)
 *   else n_configs_x_params given (not NaN)
 *        -> int(max(1, min(n_configs_x_params * n_params, max_config_fracs * ta_run_limit)))
 *           with Python's min/max: a NaN second argument (0 * inf) is ignored;
 *   else                        -> error.
 * ta_run_limit is the scenario's runcount_limit (INFINITY when unlimited).
 * A size larger than ta_run_limit is an error ("Initial budget 12 cannot be
 * higher than the run limit 10."), as are sizes that do not fit an int. */
int smac_design_size(int n_params, double ta_run_limit, int init_budget, int n_configs,
                     double n_configs_x_params, double max_config_fracs, int *out,
                     smac_error *err);

typedef struct smac_design_options {
    smac_design_kind kind;
    int init_budget;            /* < 0: compute from the next fields */
    double n_configs_x_params;  /* NaN: "None" */
    double max_config_fracs;
    double ta_run_limit;        /* runcount_limit, INFINITY if none */
} smac_design_options;

/* A list of configurations with their origins. `configs` is n rows of
 * n_params doubles (unit encoding); origins point to the static strings
 * above. Owned by the struct: release with smac_design_free. */
typedef struct smac_design {
    int n;
    int n_params;
    double *configs;
    const char **origins; /* NULL entry: no origin (the fallback default) */
    int cap;              /* rows allocated (internal) */
} smac_design;

void smac_design_init(smac_design *d);
void smac_design_free(smac_design *d);

/* Generates the design of opt->kind into *out (which must be initialised or
 * freed; it is overwritten). Invalid configurations (forbidden clauses) are
 * dropped, duplicates removed keeping the first, and the list is never empty
 * (it falls back to the default configuration with origin NULL, as SMAC3's
 * main loop does). The factorial design ignores
 * the budget except for the run-limit check, as SMAC3. */
int smac_design_generate(const smac_cs *cs, const smac_design_options *opt, smac_rng *rng,
                         smac_rng *sample_rng, smac_design *out, smac_error *err);

/* Maps n points of [0,1]^d (row-major, d = number of non-constant
 * parameters, in canonical order with constants skipped) to configurations
 * appended to *out with the given origin: numeric parameters take u as their
 * vector value (integers and quantised reals are then snapped to the vector of
 * the value they decode to, so equal values give equal vectors),
 * categorical/ordinal take floor(u * k) (u = 1 counts as 1 - 1e-10), constants
 * 0; inactive parameters become NaN; configurations violating a forbidden
 * clause are dropped. No de-duplication here. */
int smac_design_from_unit(const smac_cs *cs, const double *u, int n, const char *origin,
                          smac_design *out, smac_error *err);

/* Number of parameters that are not constants (the dimension of LHD/Sobol). */
int smac_design_dim(const smac_cs *cs);

/* ------------------------------------------------------ point generators */

/* Latin hypercube (scipy's LatinHypercube, centered=False): in each
 * dimension, a random permutation k_1..k_n of 1..n and u_i = (k_i - U_i) / n
 * with U_i uniform in [0,1): exactly one point per stratum ((k-1)/n, k/n].
 * Writes n*d doubles (row-major) to out. */
void smac_lhd_sample(int n, int d, smac_rng *rng, double *out);

/* A Sobol sequence in Gray-code order (Joe-Kuo directions, 30 bits as
 * scipy), optionally scrambled like scipy's Sobol(scramble=True): a random
 * lower-triangular binary matrix per dimension applied to the direction
 * numbers (linear matrix scrambling) and a random digital shift. Both keep
 * the net property: among the first 2^k points, each dyadic interval
 * [j/2^k, (j+1)/2^k) holds exactly one point per dimension. The unscrambled
 * sequence starts at the origin. Dimensions 1..SMAC_SOBOL_MAX_DIM (1111). */
typedef struct smac_sobol smac_sobol;

smac_sobol *smac_sobol_new(int dim, int scramble, uint64_t seed, smac_error *err);
void smac_sobol_free(smac_sobol *s);
/* Writes the next point (dim doubles in [0,1)). After 2^30 points the
 * sequence repeats. */
void smac_sobol_next(smac_sobol *s, double *point);
int smac_sobol_max_dim(void);

#endif
