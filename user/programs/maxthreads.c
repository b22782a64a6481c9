/*
 * A process with as many threads as Nanvix allows: the main thread and 17 more (NANVIX_THREAD_MAX, 18, counts the
 * main thread; kernel/Nanvix.Kernel/KernelConstants.cs MaxThreads). `maxthreads [STEPS]` (default 40) creates the
 * 17, checks that one more is refused with EAGAIN, and has all 18 compute STEPS steps each (1 000 iterations of a
 * generator seeded by the thread's number, 6 000 instructions), adding every step's value to a shared sum under a
 * mutex and yielding between steps: 4.3 million instructions in the 18 threads. It joins them, recomputes every
 * thread's result alone (as many instructions again) and prints each thread's result in tid order and the totals,
 * which do not depend on the order the threads ran in; it fails if a join, a returned value or a total is wrong.
 */
#include <errno.h>
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS NANVIX_THREAD_MAX
#define ITERATIONS 1000

static int steps;
static nanvix_mutex_t lock;
static uint32_t shared_sum, shared_steps;
static uint32_t results[THREADS];

/* Thread number `number` (0 for main) of THREADS: its steps, and the fold of their values. */
static uint32_t work(int number)
{
    uint32_t x = 0x9e3779b9u * (uint32_t)(number + 1), result = 0;
    for (int step = 0; step < steps; step++) {
        for (int k = 0; k < ITERATIONS; k++) {
            x = x * 1664525u + 1013904223u + (uint32_t)number;
            x ^= x >> 13;
        }
        nanvix_mutex_lock(&lock);
        shared_sum += x;
        shared_steps++;
        nanvix_mutex_unlock(&lock);
        result = (result ^ x) * 16777619u;
        nanvix_thread_yield();
    }
    results[number] = result;
    return result;
}

static void *worker(void *arg)
{
    return (void *)(uintptr_t)work((int)(uintptr_t)arg);
}

/* What thread `number` must compute, without threads: the fold of its step values, added to *sum. */
static uint32_t expected(int number, uint32_t *sum)
{
    uint32_t x = 0x9e3779b9u * (uint32_t)(number + 1), result = 0;
    for (int step = 0; step < steps; step++) {
        for (int k = 0; k < ITERATIONS; k++) {
            x = x * 1664525u + 1013904223u + (uint32_t)number;
            x ^= x >> 13;
        }
        *sum += x;
        result = (result ^ x) * 16777619u;
    }
    return result;
}

int main(int argc, char **argv)
{
    steps = argc > 1 ? atoi(argv[1]) : 40;
    if (steps < 1) {
        printf("usage: maxthreads [STEPS], STEPS at least 1\n");
        return 2;
    }
    int error = nanvix_mutex_init(&lock);
    if (error) {
        printf("maxthreads: FAIL: mutex_init = %d\n", error);
        return 1;
    }
    nanvix_tid_t tids[THREADS];
    tids[0] = nanvix_thread_self();
    for (int i = 1; i < THREADS; i++) {
        error = nanvix_thread_create(&tids[i], worker, (void *)(uintptr_t)i);
        if (error) {
            printf("maxthreads: FAIL: create of thread %d of %d = %d\n", i + 1, THREADS, error);
            return 1;
        }
    }
    nanvix_tid_t extra;
    int refused = nanvix_thread_create(&extra, worker, 0);
    printf("maxthreads: %d threads with main, one more create = %s\n", THREADS, refused == EAGAIN ? "EAGAIN" : "?");
    if (refused != EAGAIN) {
        printf("maxthreads: FAIL: the create past the limit returned %d, expected EAGAIN\n", refused);
        return 1;
    }

    work(0);
    int bad = 0;
    for (int i = 1; i < THREADS; i++) {
        void *value = 0;
        error = nanvix_thread_join(tids[i], &value);
        if (error || (uint32_t)(uintptr_t)value != results[i]) {
            printf("maxthreads: FAIL: join of tid %d = %d, value %08x, result %08x\n", tids[i], error,
                   (uint32_t)(uintptr_t)value, results[i]);
            bad++;
        }
    }

    uint32_t sum = 0, total = 0;
    for (int i = 0; i < THREADS; i++) {
        uint32_t want = expected(i, &sum);
        printf("maxthreads: tid %2d: %d steps, result %08x%s\n", tids[i], steps, results[i],
               results[i] == want ? "" : " WRONG");
        bad += results[i] != want;
        total = (total ^ results[i]) * 16777619u;
    }
    printf("maxthreads: shared steps %u, shared sum %08x, total %08x\n", shared_steps, shared_sum, total);
    if (shared_steps != (uint32_t)(THREADS * steps) || shared_sum != sum) {
        printf("maxthreads: FAIL: expected %d shared steps and sum %08x\n", THREADS * steps, sum);
        bad++;
    }
    nanvix_mutex_destroy(&lock);
    if (bad) {
        printf("maxthreads: FAIL: %d wrong\n", bad);
        return 1;
    }
    printf("maxthreads: ok\n");
    return 0;
}
