/* Simulated time: clock_gettime reads the kernel's cycle-derived clock (struct __kernel_timespec of Linux RV32: two 64-bit fields). */
#ifndef NANVIX_TIME_H_
#define NANVIX_TIME_H_

#include <stdint.h>

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

int clock_gettime(int clock, struct timespec *ts);

/* Simulated nanoseconds since boot on the calling core (CLOCK_MONOTONIC), for timing a piece of a program. */
int64_t nanvix_clock_ns(void);

#endif
