/*
 * Threads and synchronization: thin wrappers over the Nanvix kernel calls (docs/abi.md). The kernel returns
 * -errno; these return the positive error number instead, the pthread convention, and never touch errno.
 */
#include <nanvix/syscall.h>
#include <nanvix/thread.h>
#include <stdint.h>

static int error_of(long result)
{
    return result < 0 ? (int)-result : 0;
}

/* Kernel calls that create an object return its id, or -errno. */
static int create(long result, int *id)
{
    if (result < 0)
        return (int)-result;
    *id = (int)result;
    return 0;
}

void __nanvix_thread_start(void *(*start)(void *), void *arg) __attribute__((noreturn));

/*
 * Every new thread starts here: the kernel enters it with a0 = start, a1 = arg, sp at the top of the thread's
 * fresh stack and ra = 0. That is the state of a call with two arguments, so a plain C function serves as the
 * trampoline; it must never return (ra is 0), so it hands start's result to thread_exit.
 */
void __nanvix_thread_start(void *(*start)(void *), void *arg)
{
    nanvix_thread_exit(start(arg));
}

int nanvix_thread_create(nanvix_tid_t *tid, void *(*start)(void *), void *arg)
{
    return create(__syscall3(SYS_thread_create, (long)__nanvix_thread_start, (long)start, (long)arg), tid);
}

int nanvix_thread_join(nanvix_tid_t tid, void **value)
{
    /* The kernel stores a uint32_t; going through one keeps the conversion to a pointer explicit. */
    uint32_t result = 0;
    int error = error_of(__syscall2(SYS_thread_join, tid, value ? (long)&result : 0));
    if (error == 0 && value)
        *value = (void *)(uintptr_t)result;
    return error;
}

void nanvix_thread_exit(void *value)
{
    __syscall1(SYS_thread_exit, (long)value);
    /* Only a kernel without thread calls (qemu-riscv32: -ENOSYS) gets here; Linux's exit ends the thread too. */
    for (;;)
        __syscall1(SYS_exit, (long)value);
}

nanvix_tid_t nanvix_thread_self(void)
{
    return (nanvix_tid_t)__syscall0(SYS_thread_self);
}

int nanvix_thread_yield(void)
{
    return error_of(__syscall0(SYS_thread_yield));
}

int nanvix_thread_sleep(void)
{
    return error_of(__syscall0(SYS_thread_sleep));
}

int nanvix_thread_wakeup(nanvix_tid_t tid)
{
    return error_of(__syscall1(SYS_thread_wakeup, tid));
}

int nanvix_mutex_init(nanvix_mutex_t *mutex)
{
    return create(__syscall0(SYS_mutex_create), mutex);
}

int nanvix_mutex_lock(nanvix_mutex_t *mutex)
{
    return error_of(__syscall1(SYS_mutex_lock, *mutex));
}

int nanvix_mutex_unlock(nanvix_mutex_t *mutex)
{
    return error_of(__syscall1(SYS_mutex_unlock, *mutex));
}

int nanvix_mutex_destroy(nanvix_mutex_t *mutex)
{
    return error_of(__syscall1(SYS_mutex_destroy, *mutex));
}

int nanvix_semaphore_init(nanvix_semaphore_t *semaphore, int value)
{
    return create(__syscall1(SYS_semaphore_create, value), semaphore);
}

int nanvix_semaphore_down(nanvix_semaphore_t *semaphore)
{
    return error_of(__syscall1(SYS_semaphore_down, *semaphore));
}

int nanvix_semaphore_up(nanvix_semaphore_t *semaphore)
{
    return error_of(__syscall1(SYS_semaphore_up, *semaphore));
}

int nanvix_semaphore_destroy(nanvix_semaphore_t *semaphore)
{
    return error_of(__syscall1(SYS_semaphore_destroy, *semaphore));
}

int nanvix_condition_init(nanvix_condition_t *condition)
{
    return create(__syscall0(SYS_condition_create), condition);
}

int nanvix_condition_wait(nanvix_condition_t *condition, nanvix_mutex_t *mutex)
{
    return error_of(__syscall2(SYS_condition_wait, *condition, *mutex));
}

int nanvix_condition_signal(nanvix_condition_t *condition)
{
    return error_of(__syscall1(SYS_condition_signal, *condition));
}

int nanvix_condition_broadcast(nanvix_condition_t *condition)
{
    return error_of(__syscall1(SYS_condition_broadcast, *condition));
}

int nanvix_condition_destroy(nanvix_condition_t *condition)
{
    return error_of(__syscall1(SYS_condition_destroy, *condition));
}
