/*
 * A barrier across N compute clusters (CC0..CC(N-1), nodes 8..8+N-1) built from two sync points: the others
 * signal an all-to-one point that CC0 waits on (gather), then CC0 signals a one-to-all point that the others wait
 * on (broadcast). `barrier N ROUNDS` on each of the N clusters; each prints one line when done.
 */
#include <nanvix/ikc.h>
#include <stdio.h>
#include <stdlib.h>

#define FIRST_NODE 8

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2, rounds = argc > 2 ? atoi(argv[2]) : 1;
    if (n < 2 || n > 16 || rounds < 1) {
        printf("usage: barrier N(2..16) ROUNDS\n");
        return 2;
    }
    int nodes[16];
    for (int i = 0; i < n; i++)
        nodes[i] = FIRST_NODE + i;
    int self = nanvix_node_self();
    int master = self == FIRST_NODE;
    int gather = master ? nanvix_sync_create(nodes, n, NANVIX_SYNC_ALL_TO_ONE) : nanvix_sync_open(nodes, n, NANVIX_SYNC_ALL_TO_ONE);
    int release = master ? nanvix_sync_open(nodes, n, NANVIX_SYNC_ONE_TO_ALL) : nanvix_sync_create(nodes, n, NANVIX_SYNC_ONE_TO_ALL);
    if (gather < 0 || release < 0) {
        printf("barrier: node %d: gather %d, release %d\n", self, gather, release);
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        int a = master ? nanvix_sync_wait(gather) : nanvix_sync_signal(gather);
        int b = master ? nanvix_sync_signal(release) : nanvix_sync_wait(release);
        if (a < 0 || b < 0) {
            printf("barrier: node %d: round %d failed (%d, %d)\n", self, r, a, b);
            return 1;
        }
    }
    printf("barrier: node %d passed %d rounds with %d clusters\n", self, rounds, n);
    nanvix_sync_close(gather);
    nanvix_sync_close(release);
    return 0;
}
