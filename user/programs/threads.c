/*
 * Test driver of the thread and synchronization calls: argv[1] picks a case (usage lists them; "all", the
 * default, runs every case in order). Only the main thread prints, and it prints what it checked, so the output
 * is the same whatever order the threads run in. Each case ends with "<case> ok" or "<case> FAIL: ..."; the exit
 * status is 0 only if every case run passed, 1 otherwise, 2 for an unknown case.
 */
#include <errno.h>
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARG(x) ((void *)(uintptr_t)(x))
#define VALUE(p) ((int)(uintptr_t)(p))

/* The most threads a process may create besides its main thread. */
#define MAX_CREATED (NANVIX_THREAD_MAX - 1)

static const char *error_name(int error)
{
    static char unknown[16];
    switch (error) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case EDEADLK: return "EDEADLK";
    case ENOSYS: return "ENOSYS";
    default:
        snprintf(unknown, sizeof unknown, "errno %d", error);
        return unknown;
    }
}

/* Reports a failed call; the caller returns its result so that the case stops at the first failure. */
static int failed(const char *name, const char *call, int error)
{
    printf("%s FAIL: %s = %s\n", name, call, error_name(error));
    return 1;
}

/* --- create-join -------------------------------------------------------------------------------------------- */

static void *square(void *arg)
{
    return ARG(VALUE(arg) * VALUE(arg));
}

static int create_join(void)
{
    nanvix_tid_t tids[8];
    for (int i = 0; i < 8; i++) {
        int error = nanvix_thread_create(&tids[i], square, ARG(i + 1));
        if (error)
            return failed("create-join", "create", error);
    }
    int bad = 0;
    for (int i = 0; i < 8; i++) {
        void *value;
        int error = nanvix_thread_join(tids[i], &value);
        if (error)
            return failed("create-join", "join", error);
        printf("create-join: thread %d returned %d\n", i + 1, VALUE(value));
        bad += VALUE(value) != (i + 1) * (i + 1);
    }
    if (bad) {
        printf("create-join FAIL: %d wrong values\n", bad);
        return 1;
    }
    printf("create-join ok\n");
    return 0;
}

/* --- join-finished ------------------------------------------------------------------------------------------ */

static volatile int child_done;

static void *finish_early(void *arg)
{
    child_done = 1;
    return arg;
}

static int join_finished(void)
{
    nanvix_tid_t tid;
    child_done = 0;
    int error = nanvix_thread_create(&tid, finish_early, ARG(7));
    if (error)
        return failed("join-finished", "create", error);
    while (!child_done)
        nanvix_thread_yield();
    /* The flag is set just before the child returns: a few more turns let it reach thread_exit. */
    for (int i = 0; i < 8; i++)
        nanvix_thread_yield();
    printf("join-finished: the child finished before the join\n");
    void *value;
    error = nanvix_thread_join(tid, &value);
    if (error)
        return failed("join-finished", "join", error);
    printf("join-finished: joined, value %d\n", VALUE(value));
    if (VALUE(value) != 7) {
        printf("join-finished FAIL: expected 7\n");
        return 1;
    }
    printf("join-finished ok\n");
    return 0;
}

/* --- join-self, join-unknown -------------------------------------------------------------------------------- */

static int expect_error(const char *name, const char *call, int got, int want)
{
    printf("%s: %s = %s\n", name, call, error_name(got));
    if (got != want) {
        printf("%s FAIL: expected %s\n", name, error_name(want));
        return 1;
    }
    printf("%s ok\n", name);
    return 0;
}

static int join_self(void)
{
    return expect_error("join-self", "join(self)", nanvix_thread_join(nanvix_thread_self(), 0), EDEADLK);
}

static int join_unknown(void)
{
    return expect_error("join-unknown", "join(42)", nanvix_thread_join(42, 0), ESRCH);
}

/* --- limit -------------------------------------------------------------------------------------------------- */

static nanvix_semaphore_t gate;

static void *wait_at_gate(void *arg)
{
    nanvix_semaphore_down(&gate);
    return arg;
}

static void *nothing(void *arg)
{
    return arg;
}

static int limit(void)
{
    nanvix_tid_t tids[MAX_CREATED];
    int error = nanvix_semaphore_init(&gate, 0);
    if (error)
        return failed("limit", "semaphore_init", error);
    int created = 0;
    while (created < MAX_CREATED && !(error = nanvix_thread_create(&tids[created], wait_at_gate, ARG(created))))
        created++;
    printf("limit: created %d threads (%d with main)\n", created, created + 1);
    int extra_error = error;
    if (!error) {
        nanvix_tid_t extra;
        extra_error = nanvix_thread_create(&extra, nothing, 0);
        printf("limit: one more create = %s\n", error_name(extra_error));
    }
    /* Release and join what was created even after a failure, so that the next case starts clean. */
    for (int i = 0; i < created; i++)
        nanvix_semaphore_up(&gate);
    int bad = 0;
    for (int i = 0; i < created; i++) {
        void *value = 0;
        bad += nanvix_thread_join(tids[i], &value) != 0 || VALUE(value) != i;
    }
    printf("limit: released and joined %d threads, %d wrong\n", created, bad);
    nanvix_semaphore_destroy(&gate);
    if (error)
        return failed("limit", "create", error);
    if (extra_error != EAGAIN || bad) {
        printf("limit FAIL: expected EAGAIN and no wrong join\n");
        return 1;
    }
    printf("limit ok\n");
    return 0;
}

/* --- mutex -------------------------------------------------------------------------------------------------- */

static nanvix_mutex_t counter_lock;
static volatile int counter;

static void *increment(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        nanvix_mutex_lock(&counter_lock);
        /* Read, give the others a turn, write back: without the mutex, increments would be lost. */
        int value = counter;
        if (i % 100 == 0)
            nanvix_thread_yield();
        counter = value + 1;
        nanvix_mutex_unlock(&counter_lock);
    }
    return arg;
}

static int mutex(void)
{
    nanvix_tid_t tids[4];
    counter = 0;
    int error = nanvix_mutex_init(&counter_lock);
    if (error)
        return failed("mutex", "mutex_init", error);
    for (int i = 0; i < 4; i++) {
        error = nanvix_thread_create(&tids[i], increment, 0);
        if (error)
            return failed("mutex", "create", error);
    }
    for (int i = 0; i < 4; i++) {
        error = nanvix_thread_join(tids[i], 0);
        if (error)
            return failed("mutex", "join", error);
    }
    printf("mutex: 4 threads x 1000 increments = %d\n", counter);
    error = nanvix_mutex_destroy(&counter_lock);
    if (error)
        return failed("mutex", "mutex_destroy", error);
    if (counter != 4000) {
        printf("mutex FAIL: expected 4000\n");
        return 1;
    }
    printf("mutex ok\n");
    return 0;
}

/* --- semaphore ---------------------------------------------------------------------------------------------- */

#define RING 4
#define ITEMS 100

static int ring[RING];
static nanvix_semaphore_t slots_free, slots_full;
static int consumed_sum, out_of_order;

static void *produce(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        nanvix_semaphore_down(&slots_free);
        ring[i % RING] = i;
        nanvix_semaphore_up(&slots_full);
    }
    return arg;
}

static void *consume(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        nanvix_semaphore_down(&slots_full);
        int item = ring[i % RING];
        nanvix_semaphore_up(&slots_free);
        consumed_sum += item;
        out_of_order += item != i;
    }
    return arg;
}

static int semaphore(void)
{
    consumed_sum = 0;
    out_of_order = 0;
    int error = nanvix_semaphore_init(&slots_free, RING);
    if (!error)
        error = nanvix_semaphore_init(&slots_full, 0);
    if (error)
        return failed("semaphore", "semaphore_init", error);
    nanvix_tid_t producer, consumer;
    error = nanvix_thread_create(&consumer, consume, 0);
    if (!error)
        error = nanvix_thread_create(&producer, produce, 0);
    if (error)
        return failed("semaphore", "create", error);
    nanvix_thread_join(producer, 0);
    nanvix_thread_join(consumer, 0);
    printf("semaphore: %d items through a %d-slot ring, sum %d, %d out of order\n", ITEMS, RING, consumed_sum,
           out_of_order);
    nanvix_semaphore_destroy(&slots_free);
    nanvix_semaphore_destroy(&slots_full);
    if (consumed_sum != ITEMS * (ITEMS + 1) / 2 || out_of_order) {
        printf("semaphore FAIL: expected sum %d in order\n", ITEMS * (ITEMS + 1) / 2);
        return 1;
    }
    printf("semaphore ok\n");
    return 0;
}

/* --- condition ---------------------------------------------------------------------------------------------- */

static nanvix_mutex_t state_lock;
static nanvix_condition_t state_changed;
static int flag, go, waiting;
static volatile int woken;

/* Waits for flag under the mutex and returns the value it saw. */
static void *wait_for_flag(void *arg)
{
    (void)arg;
    nanvix_mutex_lock(&state_lock);
    waiting++;
    while (!flag)
        nanvix_condition_wait(&state_changed, &state_lock);
    int seen = flag;
    nanvix_mutex_unlock(&state_lock);
    return ARG(seen);
}

static void *wait_for_go(void *arg)
{
    nanvix_mutex_lock(&state_lock);
    waiting++;
    while (!go)
        nanvix_condition_wait(&state_changed, &state_lock);
    woken++;
    nanvix_mutex_unlock(&state_lock);
    return arg;
}

/*
 * Yields until n waiters have counted themselves. They count and wait under the mutex, and waiting releases it,
 * so once the main thread holds the mutex and sees n, all n are inside condition_wait.
 */
static void wait_until_waiting(int n)
{
    for (int done = 0; !done;) {
        nanvix_thread_yield();
        nanvix_mutex_lock(&state_lock);
        done = waiting == n;
        nanvix_mutex_unlock(&state_lock);
    }
}

static int condition(void)
{
    flag = go = waiting = woken = 0;
    int error = nanvix_mutex_init(&state_lock);
    if (!error)
        error = nanvix_condition_init(&state_changed);
    if (error)
        return failed("condition", "init", error);

    /* One waiter, one signal. */
    nanvix_tid_t tid;
    error = nanvix_thread_create(&tid, wait_for_flag, 0);
    if (error)
        return failed("condition", "create", error);
    wait_until_waiting(1);
    nanvix_mutex_lock(&state_lock);
    flag = 1;
    nanvix_condition_signal(&state_changed);
    nanvix_mutex_unlock(&state_lock);
    void *seen;
    nanvix_thread_join(tid, &seen);
    printf("condition: signal woke the waiter, it saw flag %d\n", VALUE(seen));

    /* Three waiters, one broadcast. */
    waiting = 0;
    nanvix_tid_t tids[3];
    for (int i = 0; i < 3; i++) {
        error = nanvix_thread_create(&tids[i], wait_for_go, 0);
        if (error)
            return failed("condition", "create", error);
    }
    wait_until_waiting(3);
    nanvix_mutex_lock(&state_lock);
    go = 1;
    nanvix_condition_broadcast(&state_changed);
    nanvix_mutex_unlock(&state_lock);
    /* A broadcast that woke fewer than 3 would leave a join blocked forever: look before joining. */
    for (int i = 0; i < 1000 && woken < 3; i++)
        nanvix_thread_yield();
    printf("condition: broadcast woke %d of 3 waiters\n", woken);
    if (woken != 3) {
        printf("condition FAIL: expected 3\n");
        return 1;
    }
    for (int i = 0; i < 3; i++)
        nanvix_thread_join(tids[i], 0);
    nanvix_condition_destroy(&state_changed);
    nanvix_mutex_destroy(&state_lock);
    if (VALUE(seen) != 1) {
        printf("condition FAIL: expected flag 1\n");
        return 1;
    }
    printf("condition ok\n");
    return 0;
}

/* --- sleep-wakeup ------------------------------------------------------------------------------------------- */

static volatile int about_to_sleep, awake;

static void *sleeper(void *arg)
{
    about_to_sleep = 1;
    nanvix_thread_sleep();
    awake = 1;
    return arg;
}

static int sleep_wakeup(void)
{
    about_to_sleep = awake = 0;
    nanvix_tid_t tid;
    int error = nanvix_thread_create(&tid, sleeper, ARG(99));
    if (error)
        return failed("sleep-wakeup", "create", error);
    while (!about_to_sleep)
        nanvix_thread_yield();
    /* Give the sleeper turns: asleep, it must not get past thread_sleep. */
    for (int i = 0; i < 8; i++)
        nanvix_thread_yield();
    int slept = !awake;
    printf("sleep-wakeup: the thread %s until woken\n", slept ? "slept" : "did not sleep");
    error = nanvix_thread_wakeup(tid);
    if (error)
        return failed("sleep-wakeup", "wakeup", error);
    void *value;
    error = nanvix_thread_join(tid, &value);
    if (error)
        return failed("sleep-wakeup", "join", error);
    printf("sleep-wakeup: joined, value %d\n", VALUE(value));
    if (!slept || !awake || VALUE(value) != 99) {
        printf("sleep-wakeup FAIL: expected a sleep, then value 99\n");
        return 1;
    }
    printf("sleep-wakeup ok\n");
    return 0;
}

/* --- loop --------------------------------------------------------------------------------------------------- */

static int loop(void)
{
    for (int round = 0; round < 20; round++) {
        nanvix_tid_t tids[MAX_CREATED];
        for (int i = 0; i < MAX_CREATED; i++) {
            int error = nanvix_thread_create(&tids[i], nothing, ARG(i));
            if (error) {
                printf("loop FAIL: round %d, create #%d = %s\n", round, i + 1, error_name(error));
                return 1;
            }
        }
        for (int i = 0; i < MAX_CREATED; i++) {
            void *value;
            int error = nanvix_thread_join(tids[i], &value);
            if (error || VALUE(value) != i) {
                printf("loop FAIL: round %d, join #%d = %s, value %d\n", round, i + 1, error_name(error),
                       VALUE(value));
                return 1;
            }
        }
    }
    printf("loop: 20 rounds of %d threads created and joined\n", MAX_CREATED);
    printf("loop ok\n");
    return 0;
}

/* --- driver ------------------------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*run)(void);
} cases[] = {
    {"create-join", create_join},
    {"join-finished", join_finished},
    {"join-self", join_self},
    {"join-unknown", join_unknown},
    {"limit", limit},
    {"mutex", mutex},
    {"semaphore", semaphore},
    {"condition", condition},
    {"sleep-wakeup", sleep_wakeup},
    {"loop", loop},
};

#define CASES ((int)(sizeof cases / sizeof cases[0]))

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";
    if (strcmp(which, "all") == 0) {
        int failures = 0;
        for (int i = 0; i < CASES; i++)
            failures += cases[i].run();
        if (failures) {
            printf("threads: %d of %d cases FAILED\n", failures, CASES);
            return 1;
        }
        printf("threads: all %d cases ok\n", CASES);
        return 0;
    }
    for (int i = 0; i < CASES; i++)
        if (strcmp(which, cases[i].name) == 0)
            return cases[i].run() ? 1 : 0;
    printf("usage: threads <case>, a case among: all");
    for (int i = 0; i < CASES; i++)
        printf(" %s", cases[i].name);
    printf("\n");
    return 2;
}
