/* C entry, called by crt0 with the Linux initial stack already decoded. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);

char **environ;

void __libc_start(int argc, char **argv, char **envp) __attribute__((noreturn));

void __libc_start(int argc, char **argv, char **envp)
{
    environ = envp;
    exit(main(argc, argv, envp));
}

void exit(int status)
{
    fflush_stdout();
    _exit(status);
}

void abort(void)
{
    fflush_stdout();
    _exit(134); /* 128 + SIGABRT, what a shell reports for an aborted program */
}
