/*
 * A process that writes memory at a set rate, for live migration: `dirty PAGES RATE MS [THREADS]` takes PAGES pages
 * of heap (4 KB each, every word written once), then for MS milliseconds of simulated time writes RATE of them each
 * millisecond, spread evenly over it (every word of each, the pages in turn), spinning on the clock in between, with THREADS more threads
 * that yield until the end (as many as user memory holds stacks for). It then checks every word of every page against
 * the writes it counted and prints `dirty: PAGES pages, RATE a ms, MS ms, CREATED of THREADS threads: ok`, or the first
 * wrong word and exits 1. The output does
 * not depend on how many writes fit in the time (a move changes that), only on the pages being right.
 */
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define WORDS (PAGE / 4)
#define MAX_PAGES 512
#define MAX_THREADS 16

static uint32_t writes[MAX_PAGES];
static volatile int done;

/* Word w of page p after n writes. */
static uint32_t word(int p, int w, uint32_t n)
{
    return ((uint32_t)(p + 1) * 0x01000193u) ^ ((uint32_t)w * 0x9e3779b1u) ^ (n * 0x85ebca6bu);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *idler(void *arg)
{
    (void)arg;
    while (!done)
        nanvix_thread_yield();
    return 0;
}

int main(int argc, char **argv)
{
    int pages = argc > 1 ? atoi(argv[1]) : -1;
    int rate = argc > 2 ? atoi(argv[2]) : -1;
    int ms = argc > 3 ? atoi(argv[3]) : -1;
    int threads = argc > 4 ? atoi(argv[4]) : 0;
    if (pages < 1 || pages > MAX_PAGES || rate < 0 || ms < 0 || threads < 0 || threads > MAX_THREADS) {
        printf("usage: dirty PAGES RATE MS [THREADS], PAGES 1-%d, RATE and MS at least 0, THREADS 0-%d\n", MAX_PAGES, MAX_THREADS);
        return 2;
    }
    uint32_t *heap = sbrk((intptr_t)pages * PAGE + PAGE);
    if (heap == (void *)-1) {
        printf("dirty: FAIL: sbrk of %d pages refused\n", pages);
        return 1;
    }
    heap = (uint32_t *)(((uintptr_t)heap + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
    for (int p = 0; p < pages; p++)
        for (int w = 0; w < WORDS; w++)
            heap[p * WORDS + w] = word(p, w, 0);

    /* A thread takes a 4 KB stack: with many pages, user memory may hold fewer than asked (counted, not an error). */
    nanvix_tid_t tids[MAX_THREADS];
    int created = 0;
    for (int t = 0; t < threads; t++)
        if (nanvix_thread_create(&tids[created], idler, 0) == 0)
            created++;

    /* The writes are spread evenly over each millisecond: the k-th is due at k / RATE ms. */
    int next = 0;
    uint64_t start = now_ns();
    uint64_t total = (uint64_t)rate * (uint64_t)ms;
    for (uint64_t k = 0; k < total; k++) {
        while (now_ns() - start < k * 1000000u / (uint64_t)rate)
            ;
        uint32_t n = ++writes[next];
        uint32_t *page = heap + next * WORDS;
        for (int w = 0; w < WORDS; w++)
            page[w] = word(next, w, n);
        next = (next + 1) % pages;
    }
    while (now_ns() - start < (uint64_t)ms * 1000000u)
        ;

    done = 1;
    for (int t = 0; t < created; t++)
        nanvix_thread_join(tids[t], 0);
    for (int p = 0; p < pages; p++)
        for (int w = 0; w < WORDS; w++)
            if (heap[p * WORDS + w] != word(p, w, writes[p])) {
                printf("dirty: FAIL: page %d, word %d is %08x, expected %08x\n", p, w, heap[p * WORDS + w], word(p, w, writes[p]));
                return 1;
            }
    printf("dirty: %d pages, %d a ms, %d ms, %d of %d threads: ok\n", pages, rate, ms, created, threads);
    return 0;
}
