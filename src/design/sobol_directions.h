/*
 * The table of Sobol direction numbers (sobol_directions.c): data for the
 * Sobol generator of sobol.c, nothing else. Dimension d (1-based, d >= 2)
 * uses row d - 2.
 */
#ifndef SMAC_DESIGN_SOBOL_DIRECTIONS_H
#define SMAC_DESIGN_SOBOL_DIRECTIONS_H

#include <stdint.h>

/* Highest dimension the embedded table supports (scipy's full table goes to
 * 21201; the rows beyond 1111 need degree-14+ polynomials and would make the
 * table ~30x larger for spaces nobody optimises with a Sobol design). */
#define SMAC_SOBOL_MAX_DIM 1111
#define SMAC_SOBOL_MAX_DEGREE 13

typedef struct smac_sobol_row {
    uint16_t s;                          /* degree of the primitive polynomial */
    uint16_t a;                          /* its inner coefficients, highest first */
    uint16_t m[SMAC_SOBOL_MAX_DEGREE];   /* initial direction numbers m_1..m_s */
} smac_sobol_row;

extern const smac_sobol_row smac_sobol_rows[SMAC_SOBOL_MAX_DIM - 1];

#endif
