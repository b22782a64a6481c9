/*
 * Error numbers: Linux's (asm-generic/errno-base.h and errno.h), the values the kernel returns negated
 * (kernel/Nanvix.Kernel/Errno.cs), so a program sees the same numbers under qemu-riscv32.
 */
#ifndef NANVIX_ERRNO_H_
#define NANVIX_ERRNO_H_

extern int errno;

#define EPERM      1
#define ENOENT     2
#define ESRCH      3
#define EINTR      4
#define EIO        5
#define ENOEXEC    8
#define EBADF      9
#define EAGAIN    11
#define ENOMEM    12
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define EINVAL    22
#define ENOSPC    28
#define EDEADLK   35
#define ENAMETOOLONG 36
#define ECONNREFUSED 111
#define ENOSYS    38
#define EMSGSIZE  90
#define ETIMEDOUT 110

#endif
