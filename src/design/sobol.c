/*
 * The Sobol sequence for the Sobol initial design (initial_design.h), as
 * scipy.stats.qmc.Sobol produces it for SMAC3: Joe-Kuo direction numbers
 * (sobol_directions.c), 30-bit integers, points in Gray-code order, and for
 * scramble=True linear matrix scrambling plus a digital shift.
 *
 * Why the scrambling keeps the quality: a point is the XOR of some direction
 * vectors, so any GF(2)-linear map applied to every direction vector is
 * applied to every point. A lower-triangular matrix with unit diagonal maps
 * the first k binary digits of a coordinate only through the first k digits,
 * bijectively, so points that shared a dyadic interval of length 2^-k before
 * still share one after: the (t, m, s)-net structure survives. XOR-ing a
 * fixed random shift onto every point permutes the intervals again.
 */
#include <stdlib.h>

#include "design/initial_design.h"
#include "design/sobol_directions.h"
#include "util/error.h"

#define SOBOL_BITS 30

struct smac_sobol {
    int dim;
    uint64_t count;   /* points handed out so far */
    uint32_t *v;      /* dim x SOBOL_BITS direction vectors (after scrambling) */
    uint32_t *x;      /* current point, dim integers */
    uint32_t *shift;  /* first point: 0, or the digital shift */
};

int smac_sobol_max_dim(void) { return SMAC_SOBOL_MAX_DIM; }

/* Fills the SOBOL_BITS direction vectors of dimension index d (0-based) from
 * the table: m_1..m_s given, later m_i by the polynomial's recurrence
 * m_i = 2 a_1 m_{i-1} ^ 4 a_2 m_{i-2} ^ ... ^ 2^s m_{i-s} ^ m_{i-s};
 * vector i (1-based) is m_i shifted so its leading digit is digit i. */
static void directions(int d, uint32_t *v)
{
    uint32_t m[SOBOL_BITS + 1];
    if (d == 0) {
        for (int i = 1; i <= SOBOL_BITS; i++)
            m[i] = 1;
    } else {
        const smac_sobol_row *row = &smac_sobol_rows[d - 1];
        int s = row->s;
        for (int i = 1; i <= s && i <= SOBOL_BITS; i++)
            m[i] = row->m[i - 1];
        for (int i = s + 1; i <= SOBOL_BITS; i++) {
            uint32_t mi = m[i - s] ^ (m[i - s] << s);
            for (int k = 1; k < s; k++)
                if ((row->a >> (s - 1 - k)) & 1u)
                    mi ^= m[i - k] << k;
            m[i] = mi;
        }
    }
    for (int i = 1; i <= SOBOL_BITS; i++)
        v[i - 1] = m[i] << (SOBOL_BITS - i);
}

static int parity32(uint32_t x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (int)(x & 1u);
}

/* Applies one random lower-triangular unit-diagonal matrix to all direction
 * vectors of a dimension. Row p (digit p counted from the most significant,
 * 1-based) is a bit mask over digits 1..p. */
static void scramble_dimension(uint32_t *v, smac_rng *rng)
{
    uint32_t rows[SOBOL_BITS];
    for (int p = 1; p <= SOBOL_BITS; p++) {
        uint32_t below = (p > 1) ? (uint32_t)(smac_rng_u64(rng) & ((1u << (p - 1)) - 1u)) : 0u;
        /* digits 1..p-1 random, digit p (the diagonal) set */
        uint32_t mask = (below << 1 | 1u) << (SOBOL_BITS - p);
        rows[p - 1] = mask;
    }
    for (int j = 0; j < SOBOL_BITS; j++) {
        uint32_t out = 0;
        for (int p = 1; p <= SOBOL_BITS; p++)
            if (parity32(rows[p - 1] & v[j]))
                out |= 1u << (SOBOL_BITS - p);
        v[j] = out;
    }
}

smac_sobol *smac_sobol_new(int dim, int scramble, uint64_t seed, smac_error *err)
{
    if (dim < 1 || dim > SMAC_SOBOL_MAX_DIM) {
        smac_error_set(err, SMAC_ERR_INVALID,
                       "the Sobol sequence supports 1 to %d dimensions, not %d "
                       "(use the LHD or random initial design for larger spaces)",
                       SMAC_SOBOL_MAX_DIM, dim);
        return NULL;
    }
    smac_sobol *s = calloc(1, sizeof *s);
    if (!s) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory creating a Sobol sequence");
        return NULL;
    }
    s->dim = dim;
    s->v = malloc((size_t)dim * SOBOL_BITS * sizeof *s->v);
    s->x = calloc((size_t)dim, sizeof *s->x);
    s->shift = calloc((size_t)dim, sizeof *s->shift);
    if (!s->v || !s->x || !s->shift) {
        smac_sobol_free(s);
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory creating a Sobol sequence");
        return NULL;
    }
    smac_rng rng;
    smac_rng_seed(&rng, seed, 0);
    for (int d = 0; d < dim; d++) {
        directions(d, &s->v[(size_t)d * SOBOL_BITS]);
        if (scramble) {
            s->shift[d] = (uint32_t)(smac_rng_u64(&rng) >> (64 - SOBOL_BITS));
            scramble_dimension(&s->v[(size_t)d * SOBOL_BITS], &rng);
        }
        s->x[d] = s->shift[d];
    }
    return s;
}

void smac_sobol_free(smac_sobol *s)
{
    if (!s)
        return;
    free(s->v);
    free(s->x);
    free(s->shift);
    free(s);
}

void smac_sobol_next(smac_sobol *s, double *point)
{
    if (s->count > 0) {
        /* Gray-code order: point n differs from point n-1 by the direction
         * vector of the lowest zero bit of n-1. */
        uint64_t k = s->count - 1;
        int c = 0;
        while (k & 1u) {
            k >>= 1;
            c++;
        }
        if (c >= SOBOL_BITS) {
            /* all 2^30 points used: start over */
            s->count = 0;
            for (int d = 0; d < s->dim; d++)
                s->x[d] = s->shift[d];
        } else {
            for (int d = 0; d < s->dim; d++)
                s->x[d] ^= s->v[(size_t)d * SOBOL_BITS + c];
        }
    }
    for (int d = 0; d < s->dim; d++)
        point[d] = (double)s->x[d] * (1.0 / (double)(1u << SOBOL_BITS));
    s->count++;
}
