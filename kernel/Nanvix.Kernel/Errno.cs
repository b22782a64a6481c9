namespace Nanvix.Kernel;

/// <summary>
/// Error numbers a kernel call returns, negated, in a0. The values are Linux's (asm-generic/errno-base.h and
/// errno.h), so that programs built for Linux RV32 and run under qemu-riscv32 see the same numbers.
/// </summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENOEXEC = 8;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ENOSYS = 38;
    public const int EDEADLK = 35;
    public const int ENAMETOOLONG = 36;
    public const int EMSGSIZE = 90;
    public const int ECONNRESET = 104;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
}
