/*
 * Inter-cluster communication: virtual mailboxes over the NoC (docs/abi.md, calls 1100-1105).
 * A mailbox is created on this node and a port (0-63) and receives every message sent to (node, port); it is
 * opened towards a remote (node, port) to send. Messages hold up to 120 bytes on the MPPA-256. Every function
 * returns a non-negative result or a negative errno.
 */
#ifndef NANVIX_IKC_H_
#define NANVIX_IKC_H_

#include <stddef.h>

#define NANVIX_MAILBOX_MESSAGE_MAX 120

/* This cluster's NoC node number. */
int nanvix_node_self(void);

/* An input mailbox on this node and port: its descriptor. */
int nanvix_mailbox_create(int port);

/* An output mailbox towards (node, port): its descriptor. */
int nanvix_mailbox_open(int node, int port);

/* Waits for the next message of an input mailbox; its length. -EMSGSIZE if it does not fit in size. */
int nanvix_mailbox_read(int mailbox, void *buffer, size_t size);

/* Sends one message of size bytes; returns size once it has crossed the NoC. */
int nanvix_mailbox_write(int mailbox, const void *buffer, size_t size);

/* Asynchronous pairs: post a write or a read and go on; nanvix_mailbox_wait returns what the blocking call would
 * have (the size written, the length read, or a negative errno). The buffer must stay untouched until then; one
 * operation may be pending per descriptor (-EBUSY otherwise). */
int nanvix_mailbox_awrite(int mailbox, const void *buffer, size_t size);
int nanvix_mailbox_aread(int mailbox, void *buffer, size_t size);
int nanvix_mailbox_wait(int mailbox);

/* Closes a descriptor; an input drops the messages it still holds. */
int nanvix_mailbox_close(int mailbox);

/* Portals: a receiver creates one on a port and allows one remote node; a sender opens (node, port) and writes up to
 * 1 MB, which lands straight in the reader's buffer. read returns the bytes that arrived; write returns size once
 * they have. */
int nanvix_portal_create(int port);
int nanvix_portal_allow(int portal, int node);
int nanvix_portal_open(int node, int port);
int nanvix_portal_read(int portal, void *buffer, size_t size);
int nanvix_portal_write(int portal, const void *buffer, size_t size);
int nanvix_portal_close(int portal);

/* Asynchronous pairs: post and go on; nanvix_portal_wait returns what the blocking call would have. The buffer must
 * stay untouched until then; one operation may be pending per descriptor. */
int nanvix_portal_aread(int portal, void *buffer, size_t size);
int nanvix_portal_awrite(int portal, const void *buffer, size_t size);
int nanvix_portal_wait(int portal);

/* Sync points: nodes[0] is the single side; ONE_TO_ALL: it signals, the others wait; ALL_TO_ONE: the others signal,
 * it waits until all have. A waiting node creates its end, a signalling node opens its end. */
#define NANVIX_SYNC_ONE_TO_ALL 0
#define NANVIX_SYNC_ALL_TO_ONE 1

int nanvix_sync_create(const int *nodes, int count, int mode);
int nanvix_sync_open(const int *nodes, int count, int mode);
int nanvix_sync_wait(int sync);
int nanvix_sync_signal(int sync);
int nanvix_sync_close(int sync);

/* Where a linked name listens. */
struct nanvix_name_location {
    int node;
    int port;
    int pid;
};

/* Links name (1-39 characters) to this node and port in the name service on IO0. -EEXIST if taken. */
int nanvix_name_link(const char *name, int port);

/* Removes a name this process linked. -ENOENT if unknown, -EPERM if another process linked it. */
int nanvix_name_unlink(const char *name);

/* Tells the name service that the process that linked name is alive. -ENOENT, -EPERM as unlink. */
int nanvix_name_heartbeat(const char *name);

/* Where name listens. -ENOENT if nobody linked it. */
int nanvix_name_lookup(const char *name, struct nanvix_name_location *location);

/* Moves the calling process, all its threads, to the compute cluster of NoC node `node`; returns 0 once it runs
 * there (or if it already did), -EINVAL for a node that is not a compute cluster's, -EBUSY when it cannot move
 * now (the target is full, or a thread is inside a NoC operation), -ENOSYS outside a multikernel. */
int nanvix_migrate(int node);

/* How nanvix_migrate_mode copies the process: stop-and-copy (what nanvix_migrate does), or pre-copy (the pages go in
 * rounds while the process runs, then the process stops for what it wrote since). */
#define NANVIX_MIGRATE_STOP 0
#define NANVIX_MIGRATE_PRECOPY 1
/* Post-copy: the process stops for its kernel state, stacks and the pages it touched lately, runs on the target at once,
 * and its other pages follow from the source as it touches them (and in the background). */
#define NANVIX_MIGRATE_POSTCOPY 2

/* As nanvix_migrate, copied the way `mode` says; -EINVAL for a mode that is none of the above. */
int nanvix_migrate_mode(int node, int mode);

/* Asks the spawn service on IO0 to start the registered program `program` (with `argument` as argv[1], or none
 * when NULL) on the compute cluster of NoC node `node`; its pid once it is loaded there. -ENOENT if no program of
 * that name is registered, -EINVAL for a node that is not a compute cluster's, -ENOMEM if it does not fit. */
int nanvix_spawn(int node, const char *program, const char *argument);

#endif
