/*
 * Order of messages from several senders to one mailbox: `fifo send NODE COUNT` sends COUNT numbered messages to
 * port 4 of NODE; `fifo receive SENDERS COUNT` reads SENDERS x COUNT messages and checks that each sender's
 * numbers arrive in order, exactly once.
 */
#include <nanvix/ikc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 4

int main(int argc, char **argv)
{
    if (argc != 4) {
        printf("usage: fifo send NODE COUNT | fifo receive SENDERS COUNT\n");
        return 2;
    }
    int count = atoi(argv[3]);
    if (strcmp(argv[1], "send") == 0) {
        int out = nanvix_mailbox_open(atoi(argv[2]), PORT);
        for (int i = 0; i < count; i++) {
            int message[2] = {nanvix_node_self(), i};
            if (nanvix_mailbox_write(out, message, sizeof message) != (int)sizeof message)
                return 1;
        }
        printf("fifo: node %d sent %d\n", nanvix_node_self(), count);
        return 0;
    }
    int senders = atoi(argv[2]);
    int in = nanvix_mailbox_create(PORT);
    int next[24] = {0};
    int wrong = 0;
    for (int i = 0; i < senders * count; i++) {
        int message[2];
        if (nanvix_mailbox_read(in, message, sizeof message) != (int)sizeof message || message[0] < 0 || message[0] >= 24) {
            wrong++;
            continue;
        }
        if (message[1] != next[message[0]])
            wrong++;
        next[message[0]] = message[1] + 1;
    }
    printf("fifo: received %d messages from %d senders, %d out of order\n", senders * count, senders, wrong);
    return wrong != 0;
}
