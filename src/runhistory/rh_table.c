/*
 * The one hash table of the run history (see rh_internal.h): linear probing
 * over parallel arrays of stored hashes and int indices. Keeping the full
 * hash in the slot means a probe compares keys (through the callback) only
 * when 32 bits already agree, so the callback's cost hardly matters.
 * Entries are never removed: configurations, runs, pairs and instance names
 * live as long as the history.
 */
#include <stdlib.h>
#include <string.h>

#include "runhistory/rh_internal.h"

uint64_t rh_mix64(uint64_t x)
{
    /* splitmix64's finaliser: every input bit reaches every output bit. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t rh_double_bits(double x)
{
    if (x != x)
        return 0x7ff8000000000000ULL;
    if (x == 0.0)
        x = 0.0; /* -0.0 == 0.0 */
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

uint32_t rh_hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, then the mixer to spread the low bits the table indexes by. */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return rh_fold(h ^ n);
}

void rh_table_free(rh_table *t)
{
    free(t->hash);
    free(t->idx);
    memset(t, 0, sizeof *t);
}

static int rehash(rh_table *t, size_t cap)
{
    uint32_t *h = calloc(cap, sizeof *h);
    int32_t *ix = malloc(cap * sizeof *ix);
    if (!h || !ix) {
        free(h);
        free(ix);
        return SMAC_ERR_NOMEM;
    }
    uint32_t mask = (uint32_t)(cap - 1);
    size_t old_cap = t->hash ? (size_t)t->mask + 1 : 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (!t->hash[i])
            continue;
        uint32_t s = t->hash[i] & mask;
        while (h[s])
            s = (s + 1) & mask;
        h[s] = t->hash[i];
        ix[s] = t->idx[i];
    }
    free(t->hash);
    free(t->idx);
    t->hash = h;
    t->idx = ix;
    t->mask = mask;
    return 0;
}

int rh_table_reserve(rh_table *t, size_t n)
{
    size_t cap = t->hash ? (size_t)t->mask + 1 : 0;
    if (n * 2 <= cap)
        return 0;
    size_t want = cap ? cap : 16;
    while (want < n * 2) {
        if (want > ((size_t)1 << 30))
            return SMAC_ERR_NOMEM; /* indices are 32-bit anyway */
        want *= 2;
    }
    return rehash(t, want);
}

int32_t rh_table_find(const rh_table *t, uint32_t h, rh_table_eq eq, const void *ctx, const void *key)
{
    if (!t->hash)
        return -1;
    uint32_t s = h & t->mask;
    while (t->hash[s]) {
        if (t->hash[s] == h && eq(ctx, t->idx[s], key))
            return t->idx[s];
        s = (s + 1) & t->mask;
    }
    return -1;
}

int rh_table_insert(rh_table *t, uint32_t h, int32_t idx)
{
    if (rh_table_reserve(t, t->n + 1) != 0)
        return SMAC_ERR_NOMEM;
    uint32_t s = h & t->mask;
    while (t->hash[s])
        s = (s + 1) & t->mask;
    t->hash[s] = h;
    t->idx[s] = idx;
    t->n++;
    return 0;
}
