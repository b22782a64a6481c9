/*
 * A process with N pages of heap beyond its image, for migrations of growing size: `pages N [ROUNDS]` (ROUNDS
 * default 20) moves the break to a page boundary and takes N more pages of 4 KB with sbrk, fills every word with a
 * pattern of its page and index, then runs ROUNDS rounds; each round checks every word of every page against what
 * the rounds so far must have made of it, adds the page's increment to it, and computes a fixed 20 000-step
 * checksum (so that even N = 0 runs about 2 million instructions; a round costs about 12 500 instructions more per
 * page). It prints the checksum and `pages: N ok`, or the first wrong word and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGE 4096
#define WORDS (PAGE / 4)

/* Word w of page p as filled. */
static uint32_t initial(int p, int w)
{
    return ((uint32_t)(p + 1) * 0x01000193u) ^ ((uint32_t)w * 0x9e3779b1u);
}

/* What round r adds to every word of page p. */
static uint32_t increment(int p, int r)
{
    return (uint32_t)(p + 1) * 2u + (uint32_t)r;
}

int main(int argc, char **argv)
{
    int pages = argc > 1 ? atoi(argv[1]) : -1;
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    if (pages < 0 || rounds < 1) {
        printf("usage: pages N [ROUNDS], N at least 0, ROUNDS at least 1\n");
        return 2;
    }
    uintptr_t start = (uintptr_t)sbrk(0);
    if (start % PAGE != 0 && sbrk((intptr_t)(PAGE - start % PAGE)) == (void *)-1) {
        printf("pages: FAIL: cannot move the break to a page boundary\n");
        return 1;
    }
    uint32_t *heap = sbrk((intptr_t)pages * PAGE);
    if (heap == (void *)-1) {
        printf("pages: FAIL: sbrk of %d pages refused\n", pages);
        return 1;
    }
    printf("pages: %d pages (%d bytes) of heap, rounds %d\n", pages, pages * PAGE, rounds);
    for (int p = 0; p < pages; p++)
        for (int w = 0; w < WORDS; w++)
            heap[p * WORDS + w] = initial(p, w);

    uint32_t sum = 0;
    for (int r = 0; r < rounds; r++) {
        for (int p = 0; p < pages; p++) {
            /* Rounds 0 .. r - 1 have added increment(p, 0) + ... + increment(p, r - 1). */
            uint32_t added = (uint32_t)r * (uint32_t)(p + 1) * 2u + (uint32_t)r * (uint32_t)(r - 1) / 2u;
            uint32_t *page = heap + p * WORDS;
            for (int w = 0; w < WORDS; w++) {
                uint32_t expected = initial(p, w) + added;
                if (page[w] != expected) {
                    printf("pages: FAIL: round %d, page %d, word %d is %08x, expected %08x\n", r, p, w, page[w],
                           expected);
                    return 1;
                }
                page[w] = expected + increment(p, r);
                sum = (sum ^ page[w]) * 16777619u;
            }
        }
        for (uint32_t k = 0; k < 20000; k++)
            sum = sum * 31u + k;
    }
    if ((uintptr_t)sbrk(0) != (uintptr_t)heap + (uintptr_t)pages * PAGE) {
        printf("pages: FAIL: the break moved\n");
        return 1;
    }
    printf("pages: checksum %08x\n", sum);
    printf("pages: %d ok\n", pages);
    return 0;
}
