/*
 * A process that asks to move itself while it holds IKC state that cannot or need not be carried, for the
 * regression tests of issue 11. Each case prints what its calls returned; a move may succeed (0) or be refused
 * (-EBUSY), and the process must go on either way:
 *   ikcmove failedwrite NODE PORT TARGET  opens a portal output to PORT of NODE, where no one listens, writes to it
 *                                         (the write fails), then calls migrate(TARGET)
 *   ikcmove aread PEER TARGET             creates a portal input, allows PEER (who never writes), posts an
 *                                         asynchronous read, then calls migrate(TARGET)
 *   ikcmove maread TARGET                 the same with a mailbox: posts an asynchronous read no one answers, then
 *                                         calls migrate(TARGET)
 *   ikcmove fill PEER TARGET              opens a mailbox input on port 10, an output to port 30 of PEER and 14 sync
 *                                         point inputs (16 descriptors, the most a process has), calls
 *                                         migrate(TARGET), which leaves a forward or a relay for 15 of them on the node
 *                                         it left, then writes a word to PEER and reads one on port 10
 *   ikcmove full PEER TARGET              creates an input on port 30 and a sync point input, reads fill's word, calls
 *                                         migrate(TARGET) (under UArea the node has 1 entry left for the 2 it would
 *                                         leave: -EBUSY), then writes a word to port 10 of PEER (where fill is now)
 * The last line is `ikcmove: <case> done`; the status is 0 unless a call gave an answer the ABI does not allow.
 */
#include <errno.h>
#include <nanvix/ikc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 3

static unsigned char buffer[256];

/* migrate() returns 0 on the target or -EBUSY when the move was refused; both are allowed here. */
static int moved(const char *name, int result)
{
    if (result == 0)
        printf("ikcmove: %s: migrate moved\n", name);
    else if (result == -EBUSY)
        printf("ikcmove: %s: migrate busy\n", name);
    else {
        printf("ikcmove: %s: migrate = %d\n", name, result);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc == 5 && strcmp(argv[1], "failedwrite") == 0) {
        int out = nanvix_portal_open(atoi(argv[2]), atoi(argv[3]));
        int written = nanvix_portal_write(out, buffer, sizeof buffer);
        printf("ikcmove: failedwrite: open %s, write %d\n", out >= 0 ? "ok" : "failed", written);
        bad |= moved(argv[1], nanvix_migrate(atoi(argv[4])));
        nanvix_portal_close(out);
    } else if (argc == 4 && strcmp(argv[1], "aread") == 0) {
        int in = nanvix_portal_create(PORT);
        int allowed = nanvix_portal_allow(in, atoi(argv[2]));
        int posted = nanvix_portal_aread(in, buffer, sizeof buffer);
        printf("ikcmove: aread: create %s, allow %d, aread %d\n", in >= 0 ? "ok" : "failed", allowed, posted);
        bad |= moved(argv[1], nanvix_migrate(atoi(argv[3])));
        nanvix_portal_close(in);
    } else if (argc == 3 && strcmp(argv[1], "maread") == 0) {
        int in = nanvix_mailbox_create(PORT);
        int posted = nanvix_mailbox_aread(in, buffer, sizeof buffer);
        printf("ikcmove: maread: create %s, aread %d\n", in >= 0 ? "ok" : "failed", posted);
        bad |= moved(argv[1], nanvix_migrate(atoi(argv[2])));
        nanvix_mailbox_close(in);
    } else if (argc == 4 && strcmp(argv[1], "fill") == 0) {
        int in = nanvix_mailbox_create(10), out = nanvix_mailbox_open(atoi(argv[2]), 30), made = 0, sync[14];
        for (int i = 0, node = 0; i < 14; i++, node++) {
            if (node == nanvix_node_self())
                node++;
            int nodes[2] = {node, nanvix_node_self()};
            made += (sync[i] = nanvix_sync_create(nodes, 2, NANVIX_SYNC_ONE_TO_ALL)) >= 0;
        }
        printf("ikcmove: fill: input %s, output %s, %d sync points\n", in >= 0 ? "ok" : "failed", out >= 0 ? "ok" : "failed", made);
        bad |= moved(argv[1], nanvix_migrate(atoi(argv[3])));
        bad |= nanvix_mailbox_write(out, buffer, 4) != 4;
        bad |= nanvix_mailbox_read(in, buffer, sizeof buffer) != 4;
        nanvix_mailbox_close(out);
        for (int i = 0; i < 14; i++)
            nanvix_sync_close(sync[i]);
        nanvix_mailbox_close(in);
    } else if (argc == 4 && strcmp(argv[1], "full") == 0) {
        int in = nanvix_mailbox_create(30), nodes[2] = {20, nanvix_node_self()};
        int sync = nanvix_sync_create(nodes, 2, NANVIX_SYNC_ONE_TO_ALL);
        bad |= sync < 0 || nanvix_mailbox_read(in, buffer, sizeof buffer) != 4;
        bad |= moved(argv[1], nanvix_migrate(atoi(argv[3])));
        int out = nanvix_mailbox_open(atoi(argv[2]), 10);
        bad |= nanvix_mailbox_write(out, buffer, 4) != 4;
        nanvix_mailbox_close(out);
        nanvix_sync_close(sync);
        nanvix_mailbox_close(in);
    } else {
        printf("usage: ikcmove failedwrite NODE PORT TARGET | aread PEER TARGET | maread TARGET | fill PEER TARGET | full PEER TARGET\n");
        return 2;
    }
    printf("ikcmove: %s done\n", argv[1]);
    return bad;
}
