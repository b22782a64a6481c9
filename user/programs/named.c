/*
 * Finding a peer by name through the name service on IO0.
 *   named server NAME CLIENTS  links NAME to its mailbox, answers CLIENTS requests, unlinks NAME
 *   named client NAME          looks NAME up (retrying until the server has linked it), asks, prints the answer
 *   named lookup NAME          one lookup; prints where NAME is, or the error
 *   named twice NAME           links NAME twice (the second must fail with EEXIST), then unlinks it twice
 *   named linkexit NAME        links NAME and exits without unlinking it
 *   named beat NAME            links NAME, sends 3 heartbeats, then one for a name it does not own
 *   named late NAME            yields 2000 times, then does one lookup (as `lookup`)
 */
#include <errno.h>
#include <nanvix/ikc.h>
#include <nanvix/thread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVER_PORT 5
#define CLIENT_PORT 6

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: named server|client|lookup|twice NAME [CLIENTS]\n");
        return 2;
    }
    const char *role = argv[1], *name = argv[2];
    struct nanvix_name_location where;
    if (strcmp(role, "server") == 0) {
        int clients = argc > 3 ? atoi(argv[3]) : 1;
        int in = nanvix_mailbox_create(SERVER_PORT);
        int linked = nanvix_name_link(name, SERVER_PORT);
        if (in < 0 || linked < 0) {
            printf("server: create %d, link %d\n", in, linked);
            return 1;
        }
        for (int i = 0; i < clients; i++) {
            char request[64];
            int n = nanvix_mailbox_read(in, request, sizeof request - 1);
            if (n < 0)
                return 1;
            int node = request[0];
            int out = nanvix_mailbox_open(node, CLIENT_PORT);
            char answer[64];
            int length = snprintf(answer, sizeof answer, "hello node %d, from %s", node, name);
            nanvix_mailbox_write(out, answer, (size_t)length + 1);
            nanvix_mailbox_close(out);
        }
        printf("server: %s answered %d clients, unlink %d\n", name, clients, nanvix_name_unlink(name));
        return 0;
    }
    if (strcmp(role, "client") == 0) {
        int tries = 1, found;
        while ((found = nanvix_name_lookup(name, &where)) == -ENOENT && tries < 1000) {
            nanvix_thread_yield();
            tries++;
        }
        if (found < 0) {
            printf("client: lookup(%s) = %d\n", name, found);
            return 1;
        }
        int in = nanvix_mailbox_create(CLIENT_PORT);
        int out = nanvix_mailbox_open(where.node, where.port);
        char request[1] = {(char)nanvix_node_self()};
        nanvix_mailbox_write(out, request, 1);
        char answer[64];
        int n = nanvix_mailbox_read(in, answer, sizeof answer);
        printf("client: %s is at node %d port %d; it said: %s\n", name, where.node, where.port, n > 0 ? answer : "nothing");
        return 0;
    }
    if (strcmp(role, "beat") == 0) {
        int linked = nanvix_name_link(name, SERVER_PORT);
        int beats = nanvix_name_heartbeat(name) | nanvix_name_heartbeat(name) | nanvix_name_heartbeat(name);
        int unknown = nanvix_name_heartbeat("nobody-has-this");
        printf("beat: link %d, heartbeats %d, unknown %s\n", linked, beats, unknown == -ENOENT ? "ENOENT" : "?");
        return 0;
    }
    if (strcmp(role, "linkexit") == 0) {
        printf("linkexit: link %d\n", nanvix_name_link(name, SERVER_PORT));
        return 0;
    }
    if (strcmp(role, "late") == 0) {
        for (int i = 0; i < 2000; i++)
            nanvix_thread_yield();
        role = "lookup";
    }
    if (strcmp(role, "lookup") == 0) {
        int found = nanvix_name_lookup(name, &where);
        if (found < 0)
            printf("lookup: %s: %s\n", name, found == -ENOENT ? "ENOENT" : found == -EINVAL ? "EINVAL" : found == -ENAMETOOLONG ? "ENAMETOOLONG" : "error");
        else
            printf("lookup: %s is at node %d port %d\n", name, where.node, where.port);
        return 0;
    }
    if (strcmp(role, "twice") == 0) {
        int first = nanvix_name_link(name, SERVER_PORT), second = nanvix_name_link(name, SERVER_PORT);
        int gone = nanvix_name_unlink(name), again = nanvix_name_unlink(name);
        printf("twice: link %d, link again %s, unlink %d, unlink again %s\n", first, second == -EEXIST ? "EEXIST" : "?", gone,
               again == -ENOENT ? "ENOENT" : "?");
        return 0;
    }
    printf("named: unknown role '%s'\n", role);
    return 2;
}
