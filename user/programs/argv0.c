/* Prints its argv[0], as the kernel put it on the initial stack, and how many arguments follow it. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("argv[0]=%s (%d chars), %d more\n", argv[0], (int)__builtin_strlen(argv[0]), argc - 1);
    return 0;
}
