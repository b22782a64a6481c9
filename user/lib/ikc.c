/* Inter-cluster communication wrappers: thin, the kernel does the work (virtual mailboxes by port). */
#include <nanvix/ikc.h>
#include <nanvix/syscall.h>

int nanvix_node_self(void)
{
    return (int)__syscall0(SYS_node_self);
}

int nanvix_mailbox_create(int port)
{
    return (int)__syscall1(SYS_mailbox_create, port);
}

int nanvix_mailbox_open(int node, int port)
{
    return (int)__syscall2(SYS_mailbox_open, node, port);
}

int nanvix_mailbox_read(int mailbox, void *buffer, size_t size)
{
    return (int)__syscall3(SYS_mailbox_read, mailbox, (long)buffer, (long)size);
}

int nanvix_mailbox_write(int mailbox, const void *buffer, size_t size)
{
    return (int)__syscall3(SYS_mailbox_write, mailbox, (long)buffer, (long)size);
}

int nanvix_mailbox_close(int mailbox)
{
    return (int)__syscall1(SYS_mailbox_close, mailbox);
}

int nanvix_name_link(const char *name, int port)
{
    return (int)__syscall2(SYS_name_link, (long)name, port);
}

int nanvix_name_unlink(const char *name)
{
    return (int)__syscall1(SYS_name_unlink, (long)name);
}

int nanvix_name_lookup(const char *name, struct nanvix_name_location *location)
{
    return (int)__syscall2(SYS_name_lookup, (long)name, (long)location);
}

int nanvix_sync_create(const int *nodes, int count, int mode)
{
    return (int)__syscall3(SYS_sync_create, (long)nodes, count, mode);
}

int nanvix_sync_open(const int *nodes, int count, int mode)
{
    return (int)__syscall3(SYS_sync_open, (long)nodes, count, mode);
}

int nanvix_sync_wait(int sync)
{
    return (int)__syscall1(SYS_sync_wait, sync);
}

int nanvix_sync_signal(int sync)
{
    return (int)__syscall1(SYS_sync_signal, sync);
}

int nanvix_sync_close(int sync)
{
    return (int)__syscall1(SYS_sync_close, sync);
}

int nanvix_portal_create(int port)
{
    return (int)__syscall1(SYS_portal_create, port);
}

int nanvix_portal_allow(int portal, int node)
{
    return (int)__syscall2(SYS_portal_allow, portal, node);
}

int nanvix_portal_open(int node, int port)
{
    return (int)__syscall2(SYS_portal_open, node, port);
}

int nanvix_portal_read(int portal, void *buffer, size_t size)
{
    return (int)__syscall3(SYS_portal_read, portal, (long)buffer, (long)size);
}

int nanvix_portal_write(int portal, const void *buffer, size_t size)
{
    return (int)__syscall3(SYS_portal_write, portal, (long)buffer, (long)size);
}

int nanvix_portal_close(int portal)
{
    return (int)__syscall1(SYS_portal_close, portal);
}

int nanvix_mailbox_awrite(int mailbox, const void *buffer, size_t size)
{
    return (int)__syscall3(SYS_mailbox_awrite, mailbox, (long)buffer, (long)size);
}

int nanvix_mailbox_aread(int mailbox, void *buffer, size_t size)
{
    return (int)__syscall3(SYS_mailbox_aread, mailbox, (long)buffer, (long)size);
}

int nanvix_mailbox_wait(int mailbox)
{
    return (int)__syscall1(SYS_mailbox_wait, mailbox);
}

int nanvix_spawn(int node, const char *program, const char *argument)
{
    return (int)__syscall3(SYS_spawn, node, (long)program, (long)argument);
}

int nanvix_portal_aread(int portal, void *buffer, size_t size)
{
    return (int)__syscall3(SYS_portal_aread, portal, (long)buffer, (long)size);
}

int nanvix_portal_awrite(int portal, const void *buffer, size_t size)
{
    return (int)__syscall3(SYS_portal_awrite, portal, (long)buffer, (long)size);
}

int nanvix_portal_wait(int portal)
{
    return (int)__syscall1(SYS_portal_wait, portal);
}

int nanvix_name_heartbeat(const char *name)
{
    return (int)__syscall1(SYS_name_heartbeat, (long)name);
}

int nanvix_migrate(int node)
{
    return (int)__syscall1(SYS_migrate, node);
}

int nanvix_migrate_mode(int node, int mode)
{
    return (int)__syscall2(SYS_migrate_mode, node, mode);
}
