/* Kernel-call wrappers: negative results are -errno, as the Linux convention. */
#include <nanvix/syscall.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

int errno;

static long check(long result)
{
    if (result < 0 && result > -4096) {
        errno = (int)-result;
        return -1;
    }
    return result;
}

ssize_t read(int fd, void *buffer, size_t count)
{
    return (ssize_t)check(__syscall3(SYS_read, fd, (long)buffer, (long)count));
}

ssize_t write(int fd, const void *buffer, size_t count)
{
    return (ssize_t)check(__syscall3(SYS_write, fd, (long)buffer, (long)count));
}

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

pid_t gettid(void)
{
    return (pid_t)__syscall0(SYS_gettid);
}

int sched_yield(void)
{
    return (int)check(__syscall0(SYS_sched_yield));
}

int clock_gettime(int clock, struct timespec *ts)
{
    return (int)check(__syscall2(SYS_clock_gettime64, clock, (long)ts));
}

int64_t nanvix_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* brk(0) returns the current break; a failed brk returns the old break unchanged (Linux semantics). */
void *sbrk(intptr_t increment)
{
    static uintptr_t current;
    if (current == 0)
        current = (uintptr_t)__syscall1(SYS_brk, 0);
    uintptr_t old = current;
    if (increment == 0)
        return (void *)old;
    uintptr_t wanted = old + (uintptr_t)increment;
    uintptr_t got = (uintptr_t)__syscall1(SYS_brk, (long)wanted);
    if (got != wanted) {
        errno = 12; /* ENOMEM */
        return (void *)-1;
    }
    current = got;
    return (void *)old;
}

void _exit(int status)
{
    __syscall1(SYS_exit_group, status);
    for (;;)
        __syscall1(SYS_exit, status);
}
