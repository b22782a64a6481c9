/*
 * A process that moves itself: `wander NODE...` computes a checksum in steps and, between steps, asks to move to
 * each NODE in turn, printing where it runs. A worker thread keeps adding to a shared counter under a mutex the
 * whole time, so the move takes a second thread and a held lock along. A NODE written pNODE (p9) is asked for as a
 * pre-copy move, lNODE (l9) as a post-copy ("lazy") move (nanvix_migrate_mode).
 */
#include <nanvix/ikc.h>
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static nanvix_mutex_t lock;
static volatile int done;
static uint32_t counter;

static void *worker(void *arg)
{
    (void)arg;
    while (!done) {
        nanvix_mutex_lock(&lock);
        counter++;
        nanvix_mutex_unlock(&lock);
        nanvix_thread_yield();
    }
    return 0;
}

int main(int argc, char **argv)
{
    nanvix_tid_t tid;
    nanvix_mutex_init(&lock);
    nanvix_thread_create(&tid, worker, 0);
    uint32_t sum = 0;
    printf("wander: starts on node %d\n", nanvix_node_self());
    for (int i = 1; i <= argc; i++) {
        for (uint32_t k = 0; k < 20000; k++)
            sum = sum * 31u + k;
        if (i < argc) {
            int moved = argv[i][0] == 'p'   ? nanvix_migrate_mode(atoi(argv[i] + 1), NANVIX_MIGRATE_PRECOPY)
                        : argv[i][0] == 'l' ? nanvix_migrate_mode(atoi(argv[i] + 1), NANVIX_MIGRATE_POSTCOPY)
                                            : nanvix_migrate(atoi(argv[i]));
            printf("wander: migrate(%s) = %d, now on node %d\n", argv[i], moved, nanvix_node_self());
        }
    }
    done = 1;
    nanvix_thread_join(tid, 0);
    printf("wander: checksum %08x, worker counted %s\n", sum, counter > 0 ? "yes" : "no");
    return 0;
}
