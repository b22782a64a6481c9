/*
 * All-gather over N compute clusters (CC0..CC(N-1), nodes 8..8+N-1) with portals, Nanvix's all-gather benchmark:
 * every cluster sends its SIZE-byte block to every other one and receives theirs. A writer thread sends while the
 * main thread reads; in step k, cluster i writes to i+k and reads from i-k, so every write meets its read.
 * `allgather N SIZE`; CC0 prints the simulated time and the aggregate throughput, every cluster checks every byte.
 */
#include <nanvix/ikc.h>
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define FIRST_NODE 8
#define PORT 11
#define MAX (64 * 1024)

static unsigned char block[MAX], received[MAX];
static int n, size, self;

static unsigned char pattern(int node, int i)
{
    return (unsigned char)(node * 37 + i * 11);
}

static void *writer(void *arg)
{
    (void)arg;
    for (int k = 1; k < n; k++) {
        int to = FIRST_NODE + (self - FIRST_NODE + k) % n;
        int out = nanvix_portal_open(to, PORT);
        if (out < 0 || nanvix_portal_write(out, block, (size_t)size) != size)
            return (void *)1;
        nanvix_portal_close(out);
    }
    return 0;
}

int main(int argc, char **argv)
{
    n = argc > 1 ? atoi(argv[1]) : 2;
    size = argc > 2 ? atoi(argv[2]) : 4096;
    if (n < 2 || n > 16 || size < 1 || size > MAX) {
        printf("usage: allgather N(2..16) SIZE(1..%d)\n", MAX);
        return 2;
    }
    self = nanvix_node_self();
    for (int i = 0; i < size; i++)
        block[i] = pattern(self, i);
    int in = nanvix_portal_create(PORT);
    int64_t start = nanvix_clock_ns();
    nanvix_tid_t tid;
    if (in < 0 || nanvix_thread_create(&tid, writer, 0) != 0) {
        printf("allgather: node %d cannot start\n", self);
        return 1;
    }
    int bad = 0;
    for (int k = 1; k < n; k++) {
        int from = FIRST_NODE + (self - FIRST_NODE - k + n) % n;
        nanvix_portal_allow(in, from);
        if (nanvix_portal_read(in, received, (size_t)size) != size) {
            bad++;
            continue;
        }
        for (int i = 0; i < size; i++)
            bad += received[i] != pattern(from, i);
    }
    void *failed;
    nanvix_thread_join(tid, &failed);
    int64_t elapsed = nanvix_clock_ns() - start;
    if (bad || failed) {
        printf("allgather: node %d: %d bad bytes, writer %s\n", self, bad, failed ? "failed" : "ok");
        return 1;
    }
    if (self == FIRST_NODE)
        printf("allgather: %d clusters, %d bytes each, %lld ns, %lld KB/s aggregate\n", n, size, (long long)elapsed,
               (long long)((int64_t)n * (n - 1) * size * 1000000000ll / elapsed / 1024));
    else
        printf("allgather: node %d ok\n", self);
    return 0;
}
