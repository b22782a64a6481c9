/*
 * Threads and synchronization of the user runtime: a small pthread-like layer over the Nanvix kernel calls
 * 1000-1034 (docs/abi.md). Every function that can fail returns 0 or a positive error number (<errno.h>) and
 * leaves errno alone, as pthreads do: errno is one global, and threads would race on it.
 *
 * Mutexes, semaphores and conditions live in the kernel; the user-side objects are only their ids, so copying
 * one copies a reference, not a new object. At most 18 threads per process, the main thread (tid 0) included.
 */
#ifndef NANVIX_THREAD_H_
#define NANVIX_THREAD_H_

typedef int nanvix_tid_t;
typedef int nanvix_mutex_t;
typedef int nanvix_semaphore_t;
typedef int nanvix_condition_t;

/* Nanvix's limit of threads per process, the main thread included. */
#define NANVIX_THREAD_MAX 18

/* Starts start(arg) in a new thread and stores its tid; EAGAIN when the process already has 18 threads. */
int nanvix_thread_create(nanvix_tid_t *tid, void *(*start)(void *), void *arg);
/* Waits for the thread to exit and stores what it returned (or passed to nanvix_thread_exit); value may be 0. */
int nanvix_thread_join(nanvix_tid_t tid, void **value);
/* Ends the calling thread; the last thread to exit ends the process with status (int)value & 0xFF. */
void nanvix_thread_exit(void *value) __attribute__((noreturn));
nanvix_tid_t nanvix_thread_self(void);
int nanvix_thread_yield(void);
/* Blocks until another thread wakes this one up; a wakeup sent before the sleep is remembered (once). */
int nanvix_thread_sleep(void);
int nanvix_thread_wakeup(nanvix_tid_t tid);

int nanvix_mutex_init(nanvix_mutex_t *mutex);
int nanvix_mutex_lock(nanvix_mutex_t *mutex);
int nanvix_mutex_unlock(nanvix_mutex_t *mutex);
int nanvix_mutex_destroy(nanvix_mutex_t *mutex);

int nanvix_semaphore_init(nanvix_semaphore_t *semaphore, int value);
int nanvix_semaphore_down(nanvix_semaphore_t *semaphore);
int nanvix_semaphore_up(nanvix_semaphore_t *semaphore);
int nanvix_semaphore_destroy(nanvix_semaphore_t *semaphore);

int nanvix_condition_init(nanvix_condition_t *condition);
/* Releases the mutex, waits for a signal or broadcast, and takes the mutex again before it returns. */
int nanvix_condition_wait(nanvix_condition_t *condition, nanvix_mutex_t *mutex);
int nanvix_condition_signal(nanvix_condition_t *condition);
int nanvix_condition_broadcast(nanvix_condition_t *condition);
int nanvix_condition_destroy(nanvix_condition_t *condition);

#endif
