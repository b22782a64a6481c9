using Nanvix.Arch.Core;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The console family's entry, as Linux's read and write on the standard streams (EBADF for another descriptor,
/// EINVAL for a count that is no size, EFAULT for a buffer the process cannot read or write); the serving core pays
/// for the copy.
/// </summary>
[KernelHotPath]
internal sealed class KernelConsole<TLayout>(ProcessManager<TLayout> procs, IConsole console)
    where TLayout : struct, IProcessLayout
{
    /// <summary>Largest piece of a read the kernel moves at once, through a buffer on the host stack.</summary>
    private const int ReadChunk = 512;

    public CallResult Serve(uint number, int slot, uint a0, uint a1, uint a2, ICore server) =>
        CallResult.Done(number == KernelCallNumber.Write ? Write(slot, (int)a0, a1, a2, server) : Read(slot, (int)a0, a1, a2, server));

    /// <summary>Cycles the kernel spends copying <paramref name="bytes"/> bytes, a word at a time.</summary>
    private static ulong CopyCycles(uint bytes) => (bytes + 3) / 4 * KernelConstants.CopyCyclesPerWord;

    private int Write(int slot, int fd, uint buffer, uint count, ICore server)
    {
        if (fd is not (1 or 2))
        {
            return -Errno.EBADF;
        }

        if (count > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        UserAccess user = procs.User(slot);
        int pid = procs.Table[slot].Pid;
        uint done = 0;
        while (done < count)
        {
            if (!user.TryRead(buffer + done, (int)(count - done), out Span<byte> chunk))
            {
                // Linux writes what it could before the bad page; with nothing written the call fails.
                return done > 0 ? (int)done : -Errno.EFAULT;
            }

            console.Write(pid, fd, chunk);
            done += (uint)chunk.Length;
        }

        server.AddCycles(CopyCycles(count));
        return (int)count;
    }

    private int Read(int slot, int fd, uint buffer, uint count, ICore server)
    {
        if (fd != 0)
        {
            return -Errno.EBADF;
        }

        UserAccess user = procs.User(slot);
        Span<byte> chunk = stackalloc byte[ReadChunk];
        int wanted = (int)Math.Min(count, ReadChunk);
        if (wanted > 0 && !user.TrySpan(buffer, 1, PagePermissions.Write, out _))
        {
            return -Errno.EFAULT;
        }

        int got = console.Read(procs.Table[slot].Pid, chunk[..wanted]);
        if (!user.CopyTo(buffer, chunk[..got]))
        {
            return -Errno.EFAULT;
        }

        server.AddCycles(CopyCycles((uint)got));
        return got;
    }
}
