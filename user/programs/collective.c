/*
 * Gather and broadcast over N compute clusters (CC0..CC(N-1), nodes 8..8+N-1) with portals, two of Nanvix's IKC
 * benchmarks. `collective gather N SIZE`: every other cluster writes its SIZE-byte block to CC0, which allows
 * them one after another; `collective broadcast N SIZE`: CC0 writes its block to every other cluster in turn.
 * Everybody checks every byte; CC0 prints the simulated time and the throughput, (N-1) x SIZE / time.
 */
#include <nanvix/ikc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIRST_NODE 8
#define PORT 13
#define MAX (64 * 1024)

static unsigned char block[MAX];

static unsigned char pattern(int node, int i)
{
    return (unsigned char)(node * 29 + i * 7);
}

static int check(int node, int size)
{
    int bad = 0;
    for (int i = 0; i < size; i++)
        bad += block[i] != pattern(node, i);
    return bad;
}

int main(int argc, char **argv)
{
    int gather = argc > 1 && strcmp(argv[1], "gather") == 0;
    int n = argc > 2 ? atoi(argv[2]) : 2, size = argc > 3 ? atoi(argv[3]) : 4096;
    if (argc != 4 || (!gather && strcmp(argv[1], "broadcast") != 0) || n < 2 || n > 16 || size < 1 || size > MAX) {
        printf("usage: collective gather|broadcast N(2..16) SIZE(1..%d)\n", MAX);
        return 2;
    }
    int self = nanvix_node_self(), root = self == FIRST_NODE, bad = 0;
    int64_t start = nanvix_clock_ns(), checking = 0;
    if (root) {
        if (gather) {
            int in = nanvix_portal_create(PORT);
            for (int k = 1; k < n; k++) {
                nanvix_portal_allow(in, FIRST_NODE + k);
                bad += nanvix_portal_read(in, block, (size_t)size) != size;
                /* Checking the bytes is not part of the gather: its time is taken out. */
                int64_t before = nanvix_clock_ns();
                bad += check(FIRST_NODE + k, size);
                checking += nanvix_clock_ns() - before;
            }
        } else {
            for (int i = 0; i < size; i++)
                block[i] = pattern(self, i);
            for (int k = 1; k < n; k++) {
                int out = nanvix_portal_open(FIRST_NODE + k, PORT);
                bad += nanvix_portal_write(out, block, (size_t)size) != size;
                nanvix_portal_close(out);
            }
        }
        int64_t elapsed = nanvix_clock_ns() - start - checking;
        printf("collective: %s over %d clusters, %d bytes each, %lld ns, %lld KB/s, %d bad\n", argv[1], n, size,
               (long long)elapsed, (long long)((int64_t)(n - 1) * size * 1000000000ll / elapsed / 1024), bad);
        return bad != 0;
    }
    if (gather) {
        for (int i = 0; i < size; i++)
            block[i] = pattern(self, i);
        int out = nanvix_portal_open(FIRST_NODE, PORT);
        bad = nanvix_portal_write(out, block, (size_t)size) != size;
    } else {
        int in = nanvix_portal_create(PORT);
        nanvix_portal_allow(in, FIRST_NODE);
        bad = nanvix_portal_read(in, block, (size_t)size) != size || check(FIRST_NODE, size);
    }
    printf("collective: node %d %s\n", self, bad ? "FAILED" : "ok");
    return bad != 0;
}
