/* Prints its arguments one per line and exits with the number of arguments, so the status is checked too. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s (%d chars)\n", i, argv[i], (int)__builtin_strlen(argv[i]));
    return argc - 1;
}
