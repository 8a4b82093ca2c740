/*
 * Configuration space internals, shared by the files of src/cs/ only.
 *
 * Life cycle of a space: smac_cs_builder_new() -> add parameters (any order)
 * -> add conditions and forbidden clauses (they name parameters already
 * added) -> smac_cs_builder_finish(), which orders the parameters canonically
 * (topological level, then name in code-point order), checks for cycles and
 * for a default configuration that is forbidden, and returns the immutable
 * smac_cs. Readers (pcs_old.c, pcs_new.c, cs_json.c) only use the builder;
 * writers and the algorithms read the finished structs below.
 *
 * Builder errors carry no location: the reader that called the builder adds
 * file:line:column with smac_error_locate().
 */
#ifndef SMAC_CS_INTERNAL_H
#define SMAC_CS_INTERNAL_H

#include "smac.h"
#include "util/error.h"

/* The JSON type a categorical/ordinal/constant value had where it was read
 * (PCS files only give strings; ConfigSpace JSON may give numbers/bools). It
 * decides how the value is written back to JSON and printed. */
typedef enum cs_value_kind {
    CS_VALUE_STRING,
    CS_VALUE_INT,
    CS_VALUE_FLOAT,
    CS_VALUE_BOOL
} cs_value_kind;

typedef struct cs_param {
    char *name;
    smac_param_type type;
    int log;                 /* real/integer: log scale */
    double lower, upper;     /* real/integer bounds (integer bounds are integral) */
    double q;                /* quantisation step, 0 = none (JSON "q") */
    double default_value;    /* real/integer: the value; categorical/ordinal: the index; constant: 0 */
    int n_choices;           /* categorical/ordinal: number of choices; constant: 1 */
    char **choices;          /* value texts as Python's str() prints them */
    cs_value_kind *kinds;    /* per choice */
    double *weights;         /* categorical probabilities as given, or NULL (uniform) */
    int level;               /* 1 = unconditional; child = deepest parent's level + 1 */
    int condition;           /* index into cs->conditions of this param's condition, or -1 */
    int *children;           /* params whose condition mentions this one (canonical indices) */
    int n_children;
} cs_param;

typedef enum cs_cond_op {
    CS_COND_EQ,
    CS_COND_NEQ,
    CS_COND_LT,
    CS_COND_GT,
    CS_COND_IN,
    CS_COND_AND,
    CS_COND_OR
} cs_cond_op;

/* A condition tree. Leaves compare one parent with values; AND/OR combine.
 * Leaf values are stored in the parent's terms: categorical/ordinal -> choice
 * index, real/integer -> the value itself (not the unit encoding). */
typedef struct cs_cond {
    cs_cond_op op;
    int parent;              /* leaf: parent's canonical index */
    int n_values;            /* leaf: 1 except for IN */
    double *values;
    int n_parts;             /* AND/OR */
    struct cs_cond *parts;
} cs_cond;

typedef struct cs_condition {
    int child;               /* canonical index of the conditioned parameter */
    cs_cond root;
} cs_condition;

typedef enum cs_forbid_op {
    CS_FORBID_EQUALS,        /* param == value */
    CS_FORBID_IN,            /* param in {values} */
    CS_FORBID_AND,           /* conjunction of the parts */
    CS_FORBID_LESS,          /* relation: param < other (pcs_new/JSON "LESS") */
    CS_FORBID_EQUALS_REL,    /* relation: param == other */
    CS_FORBID_GREATER        /* relation: param > other */
} cs_forbid_op;

/* A forbidden clause; values in the same terms as condition leaves. */
typedef struct cs_forbidden {
    cs_forbid_op op;
    int param;
    int other;               /* relations only */
    int n_values;
    double *values;
    int n_parts;
    struct cs_forbidden *parts;
} cs_forbidden;

struct smac_cs {
    int n_params;
    cs_param *params;        /* canonical order */
    int n_conditions;
    cs_condition *conditions; /* in the order of their child's canonical index */
    int n_forbiddens;
    cs_forbidden *forbiddens; /* in the order they were added */
    char *name;              /* JSON "name", or NULL */
    smac_cs_format source_format;
    void *name_index;        /* private lookup table name -> index (cs_space.c) */
};

/* ------------------------------------------------------------- builder */

typedef struct cs_builder cs_builder;

cs_builder *smac_cs_builder_new(void);
void smac_cs_builder_free(cs_builder *b);
int smac_cs_builder_set_name(cs_builder *b, const char *name, smac_error *err);

/* Parameters. Errors: duplicate name, lower >= upper, log with lower <= 0,
 * integer bound or default not integral, default outside the bounds or not
 * among the choices, no choices, duplicate choice. `has_default` = 0 takes
 * the spec's default (formats.md §3.5). */
int smac_cs_builder_add_real(cs_builder *b, const char *name, double lower, double upper,
                             int has_default, double def, int log, double q, smac_error *err);
int smac_cs_builder_add_integer(cs_builder *b, const char *name, double lower, double upper,
                                int has_default, double def, int log, double q, smac_error *err);
/* `def` is a choice text or NULL (first choice); kinds and weights may be NULL. */
int smac_cs_builder_add_categorical(cs_builder *b, const char *name, int n, const char *const *choices,
                                    const cs_value_kind *kinds, const char *def,
                                    const double *weights, smac_error *err);
int smac_cs_builder_add_ordinal(cs_builder *b, const char *name, int n, const char *const *sequence,
                                const cs_value_kind *kinds, const char *def, smac_error *err);
int smac_cs_builder_add_constant(cs_builder *b, const char *name, const char *value,
                                 cs_value_kind kind, smac_error *err);

/* Conditions and forbiddens are described with text values and parameter
 * names, then added; the builder converts values into the parent's terms and
 * reports unknown names and values that are not legal for the parent. */
typedef struct cs_cond_spec {
    cs_cond_op op;
    const char *parent;                 /* leaves */
    int n_values;
    const char *const *values;
    int n_parts;                        /* AND/OR */
    const struct cs_cond_spec *parts;
} cs_cond_spec;

/* A second condition for the same child is an error ("ambiguous"), as in
 * ConfigSpace; the old-format reader combines its lines with AND itself. */
int smac_cs_builder_add_condition(cs_builder *b, const char *child, const cs_cond_spec *spec,
                                  smac_error *err);

typedef struct cs_forbid_spec {
    cs_forbid_op op;
    const char *param;
    const char *other;                  /* relations */
    int n_values;
    const char *const *values;
    int n_parts;
    const struct cs_forbid_spec *parts;
} cs_forbid_spec;

int smac_cs_builder_add_forbidden(cs_builder *b, const cs_forbid_spec *spec, smac_error *err);

/* Finishes the space (see top). Errors: a cycle among conditions, a default
 * configuration that violates a forbidden clause. On success *out owns all
 * memory and the builder is left empty (still to be freed). */
int smac_cs_builder_finish(cs_builder *b, smac_cs_format source_format, smac_cs **out,
                           smac_error *err);

/* ---------------------------------------------------- shared algorithms */

/* Value <-> unit encoding for one parameter (formats.md §3.5). */
double cs_param_to_unit(const cs_param *p, double value);
double cs_param_from_unit(const cs_param *p, double unit);

/* Evaluates a condition tree against a configuration vector (1 = true).
 * A leaf whose parent is inactive is false. */
int cs_cond_eval(const smac_cs *cs, const cs_cond *c, const double *vec);
/* 1 if the configuration is forbidden by clause f. */
int cs_forbidden_matches(const smac_cs *cs, const cs_forbidden *f, const double *vec);

/* Sets inactive parameters to NaN and newly active ones (NaN) to their
 * default, walking the canonical order (parents come first). */
void cs_fix_activity(const smac_cs *cs, double *vec);

/* Writers (each returns malloc'd text or NULL with err set). */
char *cs_write_pcs_old(const smac_cs *cs, smac_error *err);
char *cs_write_pcs_new(const smac_cs *cs, smac_error *err);
char *cs_write_json(const smac_cs *cs, smac_error *err);

/* Readers: parse `text` (len bytes, not necessarily NUL-terminated) named
 * `filename` in messages. */
int cs_read_pcs_old(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err);
int cs_read_pcs_new(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err);
int cs_read_json(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err);

#endif
