/* Process control and memory of the user runtime. */
#ifndef NANVIX_STDLIB_H_
#define NANVIX_STDLIB_H_

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
int atoi(const char *s);
long strtol(const char *s, char **end, int base);
void *malloc(size_t size);
void free(void *p);

#endif
