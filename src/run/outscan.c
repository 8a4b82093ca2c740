/*
 * Bounded reading of a target's output. A target may print megabytes; we
 * keep only the last result line (the only line SMAC3 looks at) and a ring
 * of the last bytes of each stream for error messages. Feeding allocates
 * nothing, so the shepherd can use it after fork(); only init/free allocate.
 */
#include "run/run_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tail ring */

int smac_tail_init(smac_tail *t, size_t cap)
{
    memset(t, 0, sizeof *t);
    t->buf = malloc(cap ? cap : 1);
    if (!t->buf)
        return SMAC_ERR_NOMEM;
    t->cap = cap ? cap : 1;
    return 0;
}

void smac_tail_free(smac_tail *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

void smac_tail_feed(smac_tail *t, const char *data, size_t len)
{
    if (len >= t->cap) {
        /* Only the last cap bytes survive; lay them out from the ring's
         * current start so the pieces stay consistent with `total`. */
        size_t start = (size_t)((t->total + len) % t->cap);
        const char *src = data + (len - t->cap);
        size_t first = t->cap - start;
        memcpy(t->buf + start, src, first);
        memcpy(t->buf, src + first, t->cap - first);
        t->total += len;
        return;
    }
    size_t pos = (size_t)(t->total % t->cap);
    size_t first = t->cap - pos < len ? t->cap - pos : len;
    memcpy(t->buf + pos, data, first);
    memcpy(t->buf, data + first, len - first);
    t->total += len;
}

size_t smac_tail_len(const smac_tail *t)
{
    return t->total < t->cap ? (size_t)t->total : t->cap;
}

void smac_tail_pieces(const smac_tail *t, const char **a, size_t *alen, const char **b, size_t *blen)
{
    if (t->total <= t->cap) {
        *a = t->buf;
        *alen = (size_t)t->total;
        *b = t->buf;
        *blen = 0;
        return;
    }
    size_t pos = (size_t)(t->total % t->cap); /* oldest kept byte */
    *a = t->buf + pos;
    *alen = t->cap - pos;
    *b = t->buf;
    *blen = pos;
}

/* ------------------------------------------------------------ result lines */

static const char *const old_prefixes[] = {"Result of this algorithm run:", "Result for ParamILS",
                                           "Result for SMAC", NULL};
static const char *const aclib_prefixes[] = {"Result of this algorithm run:", NULL};

static const char *const *prefixes_of(smac_tae_kind kind)
{
    return kind == SMAC_TAE_ACLIB ? aclib_prefixes : old_prefixes;
}

/* 2 = text starts with a prefix, 1 = text could still become one, 0 = cannot. */
static int prefix_state(smac_tae_kind kind, const char *text, size_t len)
{
    int possible = 0;
    for (const char *const *p = prefixes_of(kind); *p; p++) {
        size_t pl = strlen(*p);
        if (len >= pl) {
            if (memcmp(text, *p, pl) == 0)
                return 2;
        } else if (memcmp(text, *p, len) == 0) {
            possible = 1;
        }
    }
    return possible;
}

int smac_is_result_line(smac_tae_kind kind, const char *line, size_t len)
{
    return line && prefix_state(kind, line, len) == 2;
}

int smac_outscan_init(smac_outscan *s, smac_tae_kind kind)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->cand = malloc(SMAC_RUN_LINE_MAX);
    s->result = malloc(SMAC_RUN_LINE_MAX);
    if (!s->cand || !s->result) {
        smac_outscan_free(s);
        return SMAC_ERR_NOMEM;
    }
    return 0;
}

void smac_outscan_free(smac_outscan *s)
{
    free(s->cand);
    free(s->result);
    memset(s, 0, sizeof *s);
}

enum { SCAN_START = 0, SCAN_MATCHED = 1, SCAN_SKIP = 2 };

static void end_line(smac_outscan *s)
{
    if (s->mode == SCAN_MATCHED) {
        memcpy(s->result, s->cand, s->cand_len);
        s->result_len = s->cand_len;
        s->result_over = s->cand_over;
        s->have_result = 1;
    }
    s->cand_len = 0;
    s->cand_over = 0;
    s->mode = SCAN_START;
}

void smac_outscan_feed(smac_outscan *s, const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s->mode == SCAN_SKIP) {
            while (i < len && data[i] != '\n' && data[i] != '\r')
                i++;
            if (i < len) {
                i++;
                s->mode = SCAN_START;
            }
            continue;
        }
        char c = data[i++];
        if (c == '\n' || c == '\r') {
            end_line(s);
            continue;
        }
        if (s->cand_len < SMAC_RUN_LINE_MAX)
            s->cand[s->cand_len++] = c;
        else
            s->cand_over = 1;
        if (s->mode == SCAN_START) {
            int st = prefix_state(s->kind, s->cand, s->cand_len);
            if (st == 2)
                s->mode = SCAN_MATCHED;
            else if (st == 0) {
                s->mode = SCAN_SKIP;
                s->cand_len = 0;
            }
        }
    }
}

void smac_outscan_end(smac_outscan *s)
{
    end_line(s);
}
