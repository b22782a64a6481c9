/*
 * Two threads take two mutexes in opposite orders and wait for each other forever: the kernel must notice that
 * nothing can run any more and kill the process with who waits on whom, instead of hanging.
 */
#include <nanvix/thread.h>
#include <stdio.h>

static nanvix_mutex_t first, second;
static volatile int holding;

static void *take(nanvix_mutex_t *a, nanvix_mutex_t *b)
{
    nanvix_mutex_lock(a);
    holding++;
    while (holding < 2)
        nanvix_thread_yield();
    nanvix_mutex_lock(b);
    nanvix_mutex_unlock(b);
    nanvix_mutex_unlock(a);
    return 0;
}

static void *forward(void *arg)
{
    (void)arg;
    return take(&first, &second);
}

static void *backward(void *arg)
{
    (void)arg;
    return take(&second, &first);
}

int main(void)
{
    nanvix_tid_t a, b;
    nanvix_mutex_init(&first);
    nanvix_mutex_init(&second);
    printf("deadlock: two threads lock two mutexes in opposite orders\n");
    nanvix_thread_create(&a, forward, 0);
    nanvix_thread_create(&b, backward, 0);
    nanvix_thread_join(a, 0);
    nanvix_thread_join(b, 0);
    printf("deadlock: not reached\n");
    return 0;
}
