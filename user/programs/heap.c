/*
 * Grows the heap with brk (through malloc/sbrk) in steps, fills it, checks it, then asks for far too much and
 * reports the refusal: the brk semantics a program sees, identical under Nanvix.Native and qemu-riscv32.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    uint32_t sum = 0;
    for (int step = 1; step <= 4; step++) {
        size_t size = (size_t)step * 20000;
        uint8_t *block = malloc(size);
        if (!block) {
            printf("step %d: malloc(%u) failed\n", step, (unsigned)size);
            return 1;
        }
        for (size_t i = 0; i < size; i++)
            block[i] = (uint8_t)(i * 7 + step);
        for (size_t i = 0; i < size; i++)
            sum = sum * 33u + block[i];
        printf("step %d: %u bytes, checksum %08x\n", step, (unsigned)size, sum);
    }
    void *huge = sbrk(0x40000000);
    printf("sbrk(1 GB): %s\n", huge == (void *)-1 ? "refused" : "granted");
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (volatile int i = 0; i < 10000; i++)
        ;
    clock_gettime(CLOCK_MONOTONIC, &b);
    int64_t elapsed = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
    printf("clock: %s\n", elapsed > 0 ? "advances" : "stuck");
    return 0;
}
