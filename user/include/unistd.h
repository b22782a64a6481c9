/* Thin kernel-call wrappers of the user runtime. Errors return -1 and set errno. */
#ifndef NANVIX_UNISTD_H_
#define NANVIX_UNISTD_H_

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef int pid_t;

extern int errno;

ssize_t read(int fd, void *buffer, size_t count);
ssize_t write(int fd, const void *buffer, size_t count);
void *sbrk(intptr_t increment);
pid_t getpid(void);
pid_t gettid(void);
int sched_yield(void);
void _exit(int status) __attribute__((noreturn));

#endif
