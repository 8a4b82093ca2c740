/* One small growable-array helper, so structs own their arrays without
 * ad-hoc reallocs. Use: `SMAC_VEC(int) v = {0}; SMAC_VEC_PUSH(&v, 3, fail);`. */
#ifndef SMAC_UTIL_VEC_H
#define SMAC_UTIL_VEC_H

#include <stdlib.h>

#define SMAC_VEC(T) struct { T *items; size_t len, cap; }

/* Grows to hold at least n items; evaluates to 0 on success, -1 on ENOMEM. */
#define SMAC_VEC_RESERVE(v, n) \
    smac_vec_reserve_((void **)&(v)->items, &(v)->cap, (n), sizeof *(v)->items)

/* Appends x; jumps to label `on_fail` if memory runs out. */
#define SMAC_VEC_PUSH(v, x, on_fail)                                  \
    do {                                                              \
        if (SMAC_VEC_RESERVE((v), (v)->len + 1) != 0)                 \
            goto on_fail;                                             \
        (v)->items[(v)->len++] = (x);                                 \
    } while (0)

#define SMAC_VEC_FREE(v)          \
    do {                          \
        free((v)->items);         \
        (v)->items = NULL;        \
        (v)->len = (v)->cap = 0;  \
    } while (0)

static inline int smac_vec_reserve_(void **items, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 8;
    while (c < n)
        c *= 2;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

#endif
