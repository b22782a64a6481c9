using Nanvix.Arch.Core;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// Serves kernel calls: decodes the ABI (number in a7, arguments in a0-a5), calls one <c>Kernel*</c> entry, and
/// puts the result (or a negative errno) in a0 with the pc past the ecall. Semantics follow Linux RV32, so that
/// the same program behaves the same under qemu-riscv32.
/// </summary>
internal sealed class KernelCalls(ClusterKernel kernel)
{
    /// <summary>Largest piece of a read the kernel moves at once, through a buffer on the host stack.</summary>
    private const int ReadChunk = 512;

    public ulong Served { get; private set; }

    public void Serve(int slot, ref ProcessRecord process, ref RegisterContext context, Hart hart)
    {
        Served++;
        process.KernelCalls++;
        uint a0 = context.Get(AbiRegister.A0);
        uint a1 = context.Get(AbiRegister.A1);
        uint a2 = context.Get(AbiRegister.A2);
        uint number = context.Get(AbiRegister.A7);
        context.Pc += 4;
        int result;
        switch (number)
        {
            case KernelCallNumber.Exit:
            case KernelCallNumber.ExitGroup:
                kernel.Terminate(slot, (int)(a0 & 0xFF), diagnostic: null);
                return;
            case KernelCallNumber.Write:
                result = KernelWrite(slot, process.Pid, (int)a0, a1, a2, hart);
                break;
            case KernelCallNumber.Read:
                result = KernelRead(slot, process.Pid, (int)a0, a1, a2, hart);
                break;
            case KernelCallNumber.Brk:
                result = (int)KernelBrk(slot, ref process, a0);
                break;
            case KernelCallNumber.ClockGettime64:
                result = KernelClockGettime(slot, (int)a0, a1, hart);
                break;
            case KernelCallNumber.GetPid:
            case KernelCallNumber.GetTid:
                result = process.Pid;
                break;
            case KernelCallNumber.SchedYield:
                result = 0;
                break;
            default:
                result = -Errno.ENOSYS;
                break;
        }

        context.Set(AbiRegister.A0, (uint)result);
    }

    private int KernelWrite(int slot, int pid, int fd, uint buffer, uint count, Hart hart)
    {
        if (fd is not (1 or 2))
        {
            return -Errno.EBADF;
        }

        if (count > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        UserAccess user = kernel.User(slot);
        uint done = 0;
        while (done < count)
        {
            if (!user.TrySpan(buffer + done, (int)(count - done), PagePermissions.Read, out Span<byte> chunk))
            {
                // Linux writes what it could before the bad page; with nothing written the call fails.
                return done > 0 ? (int)done : -Errno.EFAULT;
            }

            kernel.Console.Write(pid, fd, chunk);
            done += (uint)chunk.Length;
        }

        hart.AddCycles(CopyCycles(count));
        return (int)count;
    }

    private int KernelRead(int slot, int pid, int fd, uint buffer, uint count, Hart hart)
    {
        if (fd != 0)
        {
            return -Errno.EBADF;
        }

        UserAccess user = kernel.User(slot);
        Span<byte> chunk = stackalloc byte[ReadChunk];
        int wanted = (int)Math.Min(count, ReadChunk);
        if (wanted > 0 && !user.TrySpan(buffer, 1, PagePermissions.Write, out _))
        {
            return -Errno.EFAULT;
        }

        int got = kernel.Console.Read(pid, chunk[..wanted]);
        if (!user.CopyTo(buffer, chunk[..got]))
        {
            return -Errno.EFAULT;
        }

        hart.AddCycles(CopyCycles((uint)got));
        return got;
    }

    /// <summary>Linux brk: returns the new break on success and the old one when the request cannot be met.</summary>
    private uint KernelBrk(int slot, ref ProcessRecord process, uint requested)
    {
        uint guard = process.StackBottom - (KernelConstants.GuardPages * KernelConstants.PageSize);
        if (requested < process.BrkStart || requested > guard)
        {
            return process.Brk;
        }

        AddressSpace space = kernel.Space(slot);
        uint oldEnd = PageUp(process.Brk);
        uint newEnd = PageUp(requested);
        for (uint page = oldEnd; page < newEnd; page += KernelConstants.PageSize)
        {
            if (!space.MapNew(page, PagePermissions.ReadWrite))
            {
                for (uint undo = oldEnd; undo < page; undo += KernelConstants.PageSize)
                {
                    space.Unmap(undo);
                }

                space.Unmap(page);
                kernel.Core(ClusterKernel.UserCore).Mmu.FlushTlb();
                return process.Brk;
            }
        }

        for (uint page = newEnd; page < oldEnd; page += KernelConstants.PageSize)
        {
            space.Unmap(page);
        }

        if (newEnd < oldEnd)
        {
            kernel.Core(ClusterKernel.UserCore).Mmu.FlushTlb();
        }

        process.Brk = requested;
        return requested;
    }

    private int KernelClockGettime(int slot, int clock, uint timespec, Hart hart)
    {
        if (clock is not (0 or 1))
        {
            return -Errno.EINVAL;
        }

        // Simulated time of the core since boot: struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; }.
        ulong cycles = hart.Cycles;
        long seconds = (long)(cycles / (ulong)kernel.FrequencyHz);
        long nanoseconds = (long)((cycles % (ulong)kernel.FrequencyHz) * 1_000_000_000UL / (ulong)kernel.FrequencyHz);
        Span<byte> value = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(value, seconds);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(value[8..], nanoseconds);
        return kernel.User(slot).CopyTo(timespec, value) ? 0 : -Errno.EFAULT;
    }

    private static ulong CopyCycles(uint bytes) => (bytes + 3) / 4 * KernelConstants.CopyCyclesPerWord;

    private static uint PageUp(uint address) => (uint)(((ulong)address + KernelConstants.PageSize - 1) & ~(ulong)(KernelConstants.PageSize - 1));
}
