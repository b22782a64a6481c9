/*
 * Portal ping-pong between two clusters, Nanvix's portal benchmark: `portal ping PEER ROUNDS SIZE` writes SIZE
 * bytes (up to 64 KB) to node PEER and reads them back, ROUNDS times; `portal pong PEER ROUNDS SIZE` echoes.
 * `portal aping ...` does the ping side with the asynchronous pair (post the read, post the write, wait for both).
 * The ping side checks every byte and prints the simulated time per round trip (write + read) and the throughput
 * (2 x SIZE per round trip).
 */
#include <nanvix/ikc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PORT 9
#define MAX (64 * 1024)

static unsigned char out_buffer[MAX], in_buffer[MAX];

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "ping") != 0 && strcmp(argv[1], "pong") != 0 && strcmp(argv[1], "aping") != 0)) {
        printf("usage: portal ping|aping|pong PEER ROUNDS SIZE\n");
        return 2;
    }
    int asynchronous = strcmp(argv[1], "aping") == 0;
    int ping = asynchronous || strcmp(argv[1], "ping") == 0;
    int peer = atoi(argv[2]), rounds = atoi(argv[3]), size = atoi(argv[4]);
    if (size < 1 || size > MAX || rounds < 1) {
        printf("portal: size must be 1..%d and rounds at least 1\n", MAX);
        return 2;
    }
    int in = nanvix_portal_create(PORT);
    int allowed = nanvix_portal_allow(in, peer);
    int out = nanvix_portal_open(peer, PORT);
    if (in < 0 || allowed < 0 || out < 0) {
        printf("portal: create %d, allow %d, open %d\n", in, allowed, out);
        return 1;
    }
    int64_t busy = 0;
    for (int r = 0; r < rounds; r++) {
        if (ping) {
            for (int i = 0; i < size; i++)
                out_buffer[i] = (unsigned char)(r * 7 + i * 13);
            /* Only the round trip is timed: filling and checking 64 KB takes longer than moving it. */
            int64_t start = nanvix_clock_ns();
            int w, n;
            if (asynchronous) {
                int posted = nanvix_portal_aread(in, in_buffer, (size_t)size) | nanvix_portal_awrite(out, out_buffer, (size_t)size);
                w = nanvix_portal_wait(out);
                n = nanvix_portal_wait(in);
                if (posted != 0)
                    w = posted;
            } else {
                w = nanvix_portal_write(out, out_buffer, (size_t)size);
                n = nanvix_portal_read(in, in_buffer, (size_t)size);
            }
            busy += nanvix_clock_ns() - start;
            if (w != size || n != size || memcmp(out_buffer, in_buffer, (size_t)size) != 0) {
                printf("ping: round %d: wrote %d, read %d\n", r, w, n);
                return 1;
            }
        } else {
            int n = nanvix_portal_read(in, in_buffer, (size_t)size);
            if (n != size || nanvix_portal_write(out, in_buffer, (size_t)n) != n) {
                printf("pong: round %d failed (%d)\n", r, n);
                return 1;
            }
        }
    }
    int64_t each = busy / rounds;
    if (ping)
        printf("portal: %d bytes, %d round trips ok, %lld ns each, %lld KB/s\n", size, rounds, (long long)each,
               (long long)(2ll * size * 1000000000ll / each / 1024));
    else
        printf("portal: echoed %d writes of %d bytes\n", rounds, size);
    nanvix_portal_close(in);
    nanvix_portal_close(out);
    return 0;
}
