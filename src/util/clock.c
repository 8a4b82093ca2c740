#include "util/clock.h"

#include <time.h>

static double read_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double smac_clock_monotonic(void) { return read_clock(CLOCK_MONOTONIC); }
double smac_clock_wall(void) { return read_clock(CLOCK_REALTIME); }
double smac_clock_process_cpu(void) { return read_clock(CLOCK_PROCESS_CPUTIME_ID); }
