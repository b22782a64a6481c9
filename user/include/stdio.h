/*
 * Formatted output of the user runtime: the printf family for integers and strings.
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags '-' and '0', a width, a precision for %s,
 * length modifiers h, hh, l and ll. Output goes to file descriptor 1 through write(2).
 */
#ifndef NANVIX_STDIO_H_
#define NANVIX_STDIO_H_

#include <stdarg.h>
#include <stddef.h>

int printf(const char *format, ...);
int vprintf(const char *format, va_list args);
int snprintf(char *buffer, size_t size, const char *format, ...);
int vsnprintf(char *buffer, size_t size, const char *format, va_list args);
int puts(const char *s);
int putchar(int c);
void fflush_stdout(void);

#endif
