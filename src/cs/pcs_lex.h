/*
 * What the two PCS formats share (pcs_old.c, pcs_new.c): the first pass
 * over a file, the token readers, the checks that give errors a column, the
 * forbidden-clause syntax (identical in both), and the writers' common
 * pieces (value text, condition order, the forbidden section).
 *
 * First pass (formats.md §3.1): cut each line at the first '#', delete every
 * quote, trim, then classify it as a parameter, a condition or a forbidden
 * clause, or skip it. pcs_doc does that once and keeps, for every byte of a
 * cleaned line, the column it had in the file, so errors point at what the
 * user typed.
 *
 * The token readers walk one cleaned line with a cursor. They accept what
 * ConfigSpace's pyparsing grammar accepts (names are runs of a fixed
 * character set, numbers have a fixed shape) but, unlike pyparsing, demand
 * that a line is consumed completely: trailing text is an error rather than
 * silently ignored.
 *
 * The builder checks everything again; the readers check first only to say
 * where in the line a mistake is (the builder knows no columns).
 */
#ifndef SMAC_CS_PCS_LEX_H
#define SMAC_CS_PCS_LEX_H

#include <stddef.h>

#include "cs/cs_internal.h"
#include "smac.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/vec.h"

typedef enum pcs_line_kind {
    PCS_LINE_PARAM,
    PCS_LINE_CONDITION,
    PCS_LINE_FORBIDDEN
} pcs_line_kind;

typedef struct pcs_line {
    pcs_line_kind kind;
    int lineno;    /* 1-based line number in the file */
    size_t len;    /* bytes in text (text may hold NUL bytes from the input) */
    char *text;    /* cleaned line, NUL-terminated */
    int *col;      /* col[i]: 1-based file column of text[i]; col[len] = one past the end */
} pcs_line;

/* What the readers remember of each parameter they added, to check the
 * conditions and forbidden clauses that name it and point at the exact
 * column of a mistake (the builder checks too, but knows no columns). */
typedef struct pcs_param_info {
    const char *name;          /* owned by the doc's strings */
    smac_param_type type;
    double lower, upper;       /* real/integer */
    int n_choices;             /* categorical/ordinal */
    char **choices;            /* array owned here, texts by the doc's strings */
} pcs_param_info;

/* A whole file after the first pass. `strings` owns every name the cursor
 * handed out, so parse errors never need to unwind individual strings. */
typedef struct pcs_doc {
    const char *file;
    SMAC_VEC(pcs_line) lines;
    SMAC_VEC(char *) strings;
    SMAC_VEC(pcs_param_info) params;
    size_t *slots;             /* open-addressing name index: params index + 1, 0 = empty */
    size_t n_slots;
} pcs_doc;

/* Splits and classifies `text` (len bytes; "\n", "\r\n" and "\r" end lines,
 * as Python's universal newlines do). Lines that are blank or carry neither
 * '}' nor ']' are dropped, except that a line holding an opening '[' or '{'
 * is kept as a parameter (or forbidden) line so the parser reports what is
 * missing instead of losing the parameter. On failure the doc is freed. */
int pcs_doc_init(pcs_doc *doc, const char *text, size_t len, const char *file, smac_error *err);
void pcs_doc_free(pcs_doc *doc);

/* A read position in one cleaned line. */
typedef struct pcs_cur {
    pcs_doc *doc;
    const pcs_line *ln;
    size_t pos;
    smac_error *err;
} pcs_cur;

void pcs_cur_init(pcs_cur *c, pcs_doc *doc, const pcs_line *ln, smac_error *err);

/* The file column of byte `pos` of the line. */
int pcs_col(const pcs_cur *c, size_t pos);

/* Sets a parse error "file:line:col: message" at byte `pos`; returns
 * SMAC_ERR_PARSE (or `code` for pcs_fail_code). */
int pcs_fail(const pcs_cur *c, size_t pos, const char *fmt, ...) SMAC_PRINTF(3, 4);
int pcs_fail_code(const pcs_cur *c, int code, size_t pos, const char *fmt, ...) SMAC_PRINTF(4, 5);

/* "expected WHAT, found X" at the next token (after blanks). */
int pcs_fail_expected(pcs_cur *c, const char *what);

/* Adds this line's location (at byte pos) to an error from the builder. */
int pcs_locate(const pcs_cur *c, size_t pos);

void pcs_skip_ws(pcs_cur *c);
/* 1 when only blanks remain. */
int pcs_at_end(pcs_cur *c);
/* The next byte after blanks, or -1 at the end of the line. */
int pcs_peek(pcs_cur *c);
/* Skips blanks and consumes `tok` if the line continues with it. */
int pcs_accept(pcs_cur *c, const char *tok);
/* Like pcs_accept, but a missing token is an error "expected 'tok' CONTEXT". */
int pcs_expect(pcs_cur *c, const char *tok, const char *context);
/* Fails with "unexpected X after CONTEXT" unless only blanks remain. */
int pcs_expect_end(pcs_cur *c, const char *context);

/* 1 if ch may appear in a parameter name or value (ConfigSpace's pp_param_name). */
int pcs_is_name_char(int ch);
/* 1 if the whole string is one name token, i.e. it would read back. */
int pcs_is_name(const char *s);

/* Reads a name token (parameter name, choice, value). *out is owned by the
 * doc; *start (may be NULL) receives the byte position of its first char.
 * `what` names the token in the error ("expected WHAT, found ..."). */
int pcs_name(pcs_cur *c, const char *what, char **out, size_t *start);

/* Reads a number: optional sign, digits with an optional fraction (or a
 * leading-dot fraction), optional exponent; it must be finite. */
int pcs_number(pcs_cur *c, const char *what, double *out, size_t *start);

/* Reads a run of characters from `set` (an operator or a flag word);
 * returns its length (0 if none) and its start in *start. */
size_t pcs_word(pcs_cur *c, const char *set, size_t *start);

/* ------------------------------------------------- shared by the readers */

/* Remembers a parameter the builder accepted (the choices array is copied). */
int pcs_doc_add_param(pcs_doc *doc, const pcs_param_info *info, smac_error *err);
/* The parameter called `name`, or NULL. */
const pcs_param_info *pcs_doc_param(const pcs_doc *doc, const char *name);

/* Checks the bounds, default and flags of a real/integer parameter before
 * the builder sees them, so the error points at the offending number. */
int pcs_check_numeric(pcs_cur *c, const char *name, int is_int, int log, double lo, size_t lo_pos,
                      double hi, size_t hi_pos, double def, size_t def_pos);

/* Checks a list of choices (no duplicates) and that the default is one. */
int pcs_check_choices(pcs_cur *c, const char *name, int n, char *const *choices,
                      const size_t *pos, const char *def, size_t def_pos);

/* Reads "[lower, upper] [default]" (the numeric part of a real/integer
 * line); v/at receive lower, upper, default and their byte positions. */
int pcs_read_range(pcs_cur *c, double v[3], size_t at[3]);

/* Reads "{a, b, ...} [default]" of parameter `name` and checks it with
 * pcs_check_choices. *choices (array to free; texts owned by the doc). */
int pcs_read_choices(pcs_cur *c, const char *name, char ***choices, int *n, char **def,
                     size_t *def_pos);

/* Reads a brace list "{a, b, c}" of name tokens (the '{' already read);
 * the texts are owned by the doc, the arrays must be freed by the caller. */
int pcs_value_list(pcs_cur *c, const char *what, char ***values, size_t **pos, int *n);

/* Condition checks with columns: the child exists; a leaf's parent exists,
 * differs from the child, suits the operator and accepts the values. */
int pcs_check_child(pcs_cur *c, const char *child, size_t pos);
int pcs_check_leaf(pcs_cur *c, const char *child, const char *parent, size_t parent_pos,
                   cs_cond_op op, size_t op_pos, int n, char *const *values, const size_t *pos);

/* Parses a forbidden-clause line "{name=value, ...}" (same syntax in both
 * formats) and adds it to the builder as an AND of equalities, as
 * ConfigSpace does. */
int pcs_read_forbidden(pcs_doc *doc, const pcs_line *ln, cs_builder *b, smac_error *err);

/* How much of a file a reader's populate step adds to its builder: all
 * parameters, then the first n_conditions conditions and the first
 * n_forbiddens forbidden clauses (-1 = all). It reports the line of the
 * last condition and of the last clause it added. */
typedef struct pcs_limit {
    long n_conditions;
    long n_forbiddens;
    const pcs_line *last_condition;
    const pcs_line *last_forbidden;
} pcs_limit;

typedef int (*pcs_populate_fn)(pcs_doc *doc, cs_builder *b, pcs_limit *limit, smac_error *err);

/* smac_cs_builder_finish checks the whole space (cycles among conditions,
 * a forbidden default) and knows no lines. When it fails, this finds the
 * line to blame by rebuilding the space with the first k conditions (or
 * clauses), bisecting on k — both failures only appear, never vanish, as
 * lines are added — and puts that line's location on *err. Only the error
 * path pays for it: about log2(lines) rebuilds. */
void pcs_blame(pcs_doc *doc, pcs_populate_fn populate, smac_cs_format fmt, smac_error *err);

/* Adds the forbidden lines of doc (up to limit->n_forbiddens, < 0 = all):
 * the same syntax in both formats. */
int pcs_add_forbiddens(pcs_doc *doc, cs_builder *b, pcs_limit *limit, smac_error *err);

/* A whole read in either format: lines, builder, `populate`, finish, and on
 * a whole-space error the line to blame. */
int pcs_read(const char *text, size_t len, const char *filename, smac_cs_format fmt, pcs_populate_fn populate,
             smac_cs **out, smac_error *err);

/* ------------------------------------------------- shared by the writers */

/* Appends value `v` of p (choice index, or the number) as ConfigSpace's
 * writers print it: integers plain, reals repr, choices verbatim. */
void pcs_put_value(smac_strbuf *sb, const cs_param *p, double v);
/* Appends an integral double without a point ("%d" of a Python int). */
void pcs_put_int(smac_strbuf *sb, double v);

/* Fails unless every parameter name and every choice is one name token:
 * anything else could not be read back. `format` names the format. */
int pcs_check_writable(const smac_cs *cs, const char *format, smac_error *err);

/* The conditions in the order ConfigSpace's get_conditions() yields them:
 * parents in canonical order, for each its children in canonical order,
 * each condition once. `order` receives n_conditions indices. */
int pcs_condition_order(const smac_cs *cs, int *order);

/* Appends the forbidden section: nothing without clauses, else "\n\n" and
 * one line per clause, IN clauses expanded into one line per combination of
 * values, the lines sorted, each ending in "\n" (ConfigSpace's layout,
 * shared by both formats). Relations cannot be written. */
int pcs_put_forbiddens(smac_strbuf *sb, const smac_cs *cs, const char *format, smac_error *err);

#endif
