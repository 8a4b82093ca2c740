/* Random numbers: xoshiro256** (Blackman & Vigna) seeded through splitmix64.
 * Streams: the stream number is mixed into the seed, so (seed, stream) pairs
 * give independent-looking sequences without any shared state. */
#include "smac.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void smac_rng_seed(smac_rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t mix = splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&mix);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t smac_rng_u64(smac_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double smac_rng_uniform(smac_rng *rng)
{
    return (double)(smac_rng_u64(rng) >> 11) * 0x1.0p-53;
}

uint64_t smac_rng_below(smac_rng *rng, uint64_t n)
{
    if (n <= 1)
        return 0;
    /* Rejection sampling over the largest multiple of n: no modulo bias. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = smac_rng_u64(rng);
    while (x >= limit);
    return x % n;
}

double smac_rng_normal(smac_rng *rng)
{
    /* Marsaglia's polar method; the second value is discarded so the state
     * stays a plain copyable struct. */
    double u, v, s;
    do {
        u = 2.0 * smac_rng_uniform(rng) - 1.0;
        v = 2.0 * smac_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}
