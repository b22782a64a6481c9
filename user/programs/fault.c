/*
 * Dies the way argv[1] says, after printing one line: null (load from address 0), text (store into its own code),
 * illegal (an all-zero instruction word), ebreak, stack (unbounded recursion into the guard page), misaligned (a
 * misaligned load: Nanvix.Native's cores trap, qemu-user emulates it), or exits with status argv[2] (exit). badcall
 * passes a bad pointer to write: that is no fault, the call fails with EFAULT and the program goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int depth(volatile int n)
{
    volatile char frame[256];
    if (n < 0)
        return 0;
    frame[0] = (char)n;
    return depth(n + 1) + frame[0];
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "null";
    printf("fault: %s\n", how);
    fflush_stdout();
    if (strcmp(how, "null") == 0)
        return *(volatile int *)0;
    if (strcmp(how, "text") == 0) {
        *(volatile unsigned *)(void *)&main = 0;
        return 0;
    }
    if (strcmp(how, "illegal") == 0)
        __asm__ volatile(".word 0");
    if (strcmp(how, "ebreak") == 0)
        __asm__ volatile("ebreak");
    if (strcmp(how, "stack") == 0)
        return depth(0);
    if (strcmp(how, "misaligned") == 0) {
        static int words[2] = {0x04030201, 0x08070605};
        int value;
        __asm__ volatile("lw %0, 1(%1)" : "=r"(value) : "r"(words));
        return value & 0xFF;
    }
    if (strcmp(how, "badcall") == 0) {
        long n = write(1, (const void *)16, 5);
        printf("write(bad pointer) = %ld, errno %d\n", n, errno);
        return 0;
    }
    if (strcmp(how, "exit") == 0)
        exit(argc > 2 ? atoi(argv[2]) : 0);
    printf("unknown fault '%s'\n", how);
    return 1;
}
