/*
 * Nanvix's fork-join microbenchmark: ROUNDS times (argv[2], default 10), create THREADS threads (argv[1],
 * default 17, the most a process may add to its main thread) that run an empty function, then join them all.
 * The benchmark reads the modeled cycles from the kernel; the program only does the work and prints one line.
 */
#include <nanvix/thread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS (NANVIX_THREAD_MAX - 1)

static void *empty(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : MAX_THREADS;
    int rounds = argc > 2 ? atoi(argv[2]) : 10;
    if (threads < 1 || threads > MAX_THREADS || rounds < 0) {
        printf("usage: forkjoin [threads 1..%d] [rounds >= 0]\n", MAX_THREADS);
        return 2;
    }
    nanvix_tid_t tids[MAX_THREADS];
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < threads; i++) {
            int error = nanvix_thread_create(&tids[i], empty, 0);
            if (error) {
                printf("forkjoin FAIL: round %d, create #%d: error %d\n", round, i + 1, error);
                return 1;
            }
        }
        for (int i = 0; i < threads; i++) {
            int error = nanvix_thread_join(tids[i], 0);
            if (error) {
                printf("forkjoin FAIL: round %d, join #%d: error %d\n", round, i + 1, error);
                return 1;
            }
        }
    }
    printf("forkjoin threads=%d rounds=%d ok\n", threads, rounds);
    return 0;
}
