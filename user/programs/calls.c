/*
 * Makes the kernel calls its arguments name and prints what each returned, for tests of how the kernel checks the
 * arguments of a call. Each argument is one call, "N,a0,a1,a2" (the number and up to three arguments, in decimal,
 * missing ones 0); an argument written "@" is the address of a zero-terminated name in this program, so a call that
 * takes a text can be given a good one. Prints "N,a0,a1,a2 = result" per call (a negative result is -errno) and
 * "calls: done" at the end: a bad argument must fail the call, never the process.
 */
#include <nanvix/syscall.h>
#include <stdio.h>
#include <stdlib.h>

static const char name[] = "calls";

static long argument(const char **cursor)
{
    const char *s = *cursor;
    long value = 0;
    if (*s == '@') {
        value = (long)name;
        s++;
    } else if (*s != '\0' && *s != ',') {
        char *end;
        value = strtol(s, &end, 10);
        s = end;
    }
    if (*s == ',') {
        s++;
    }
    *cursor = s;
    return value;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *cursor = argv[i];
        long number = argument(&cursor);
        long a0 = argument(&cursor);
        long a1 = argument(&cursor);
        long a2 = argument(&cursor);
        long result = __syscall3(number, a0, a1, a2);
        printf("%s = %ld\n", argv[i], result);
    }
    printf("calls: done\n");
    return 0;
}
