/* Clocks: monotonic seconds for measuring durations, wall-clock seconds
 * since the Unix epoch for the start/end times stored in run histories. */
#ifndef SMAC_UTIL_CLOCK_H
#define SMAC_UTIL_CLOCK_H

double smac_clock_monotonic(void);
double smac_clock_wall(void);
double smac_clock_process_cpu(void);

#endif
