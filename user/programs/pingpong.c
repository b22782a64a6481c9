/*
 * Mailbox ping-pong between two clusters: `pingpong ping PEER ROUNDS SIZE` sends SIZE bytes to node PEER and waits
 * for them to come back, ROUNDS times; `pingpong pong PEER ROUNDS SIZE` echoes what it gets. Both use port 7.
 * `pingpong aping ...` does the ping side with the asynchronous pair: it posts the read, posts the write, then
 * waits for both.
 * The ping side checks every byte and prints the simulated time per round trip.
 */
#include <nanvix/ikc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PORT 7

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "closed") == 0) {
        /* Calls on closed (and never opened) descriptors fail with EBADF instead of touching someone else's mailbox. */
        int in = nanvix_mailbox_create(PORT);
        int closed = nanvix_mailbox_close(in);
        char byte = 0;
        printf("closed: close %d, read %d, write %d, close again %d, never opened %d\n", closed,
               nanvix_mailbox_read(in, &byte, 1), nanvix_mailbox_write(in, &byte, 1), nanvix_mailbox_close(in),
               nanvix_mailbox_read(9, &byte, 1));
        return 0;
    }
    if (argc != 5 || (strcmp(argv[1], "ping") != 0 && strcmp(argv[1], "pong") != 0 && strcmp(argv[1], "aping") != 0)) {
        printf("usage: pingpong ping|aping|pong PEER ROUNDS SIZE\n");
        return 2;
    }
    int asynchronous = strcmp(argv[1], "aping") == 0;
    int ping = asynchronous || strcmp(argv[1], "ping") == 0;
    int peer = atoi(argv[2]), rounds = atoi(argv[3]), size = atoi(argv[4]);
    if (size < 1 || size > NANVIX_MAILBOX_MESSAGE_MAX || rounds < 1) {
        printf("pingpong: size must be 1..%d and rounds at least 1\n", NANVIX_MAILBOX_MESSAGE_MAX);
        return 2;
    }
    int in = nanvix_mailbox_create(PORT);
    int out = nanvix_mailbox_open(peer, PORT);
    if (in < 0 || out < 0) {
        printf("pingpong: create %d, open %d\n", in, out);
        return 1;
    }
    unsigned char message[NANVIX_MAILBOX_MESSAGE_MAX], back[NANVIX_MAILBOX_MESSAGE_MAX];
    int64_t start = nanvix_clock_ns();
    for (int r = 0; r < rounds; r++) {
        if (ping) {
            for (int i = 0; i < size; i++)
                message[i] = (unsigned char)(r * 31 + i);
            int w, n;
            if (asynchronous) {
                int posted = nanvix_mailbox_aread(in, back, sizeof back) | nanvix_mailbox_awrite(out, message, (size_t)size);
                w = nanvix_mailbox_wait(out);
                n = nanvix_mailbox_wait(in);
                if (posted != 0)
                    w = posted;
            } else {
                w = nanvix_mailbox_write(out, message, (size_t)size);
                n = nanvix_mailbox_read(in, back, sizeof back);
            }
            if (w != size || n != size || memcmp(message, back, (size_t)size) != 0) {
                printf("ping: round %d: wrote %d, read %d, bytes %s\n", r, w, n, n == size ? "differ" : "-");
                return 1;
            }
        } else {
            int n = nanvix_mailbox_read(in, back, sizeof back);
            if (n < 0 || nanvix_mailbox_write(out, back, (size_t)n) != n) {
                printf("pong: round %d failed (%d)\n", r, n);
                return 1;
            }
        }
    }
    int64_t elapsed = nanvix_clock_ns() - start;
    if (ping)
        printf("ping: node %d <-> node %d, %d round trips of %d bytes ok, %lld ns each\n", nanvix_node_self(), peer,
               rounds, size, (long long)(elapsed / rounds));
    else
        printf("pong: node %d echoed %d messages\n", nanvix_node_self(), rounds);
    nanvix_mailbox_close(in);
    nanvix_mailbox_close(out);
    return 0;
}
