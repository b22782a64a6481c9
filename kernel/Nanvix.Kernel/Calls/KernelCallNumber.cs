namespace Nanvix.Kernel.Calls;

/// <summary>
/// Kernel-call numbers, passed in a7. The POSIX-like subset uses Linux RV32's numbers
/// (include/uapi/asm-generic/unistd.h), so programs also run under qemu-riscv32. The table with arguments and
/// errors is docs/abi.md.
/// </summary>
public static class KernelCallNumber
{
    public const uint Read = 63;
    public const uint Write = 64;
    public const uint Exit = 93;
    public const uint ExitGroup = 94;
    public const uint SchedYield = 124;
    public const uint GetPid = 172;
    public const uint GetTid = 178;
    public const uint Brk = 214;
    public const uint ClockGettime64 = 403;
}
