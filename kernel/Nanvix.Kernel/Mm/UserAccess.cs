using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;

namespace Nanvix.Kernel.Mm;

/// <summary>
/// The kernel's view of one process's user memory: copies in and out through the process's page tables, page by
/// page, with the permissions user code would need. A bad user pointer gives false (the kernel call returns EFAULT),
/// never a host exception. Writes tell the cluster, so code its cores predecoded there is dropped (<paramref name="cluster"/>
/// is null only where no core ever ran code from this memory: a kernel part tested alone).
/// </summary>
public readonly struct UserAccess(KernelMemory memory, AddressSpace space, ICluster? cluster)
{
    /// <summary>Copies <paramref name="destination"/>.Length bytes from user address <paramref name="address"/>.</summary>
    public bool CopyFrom(uint address, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (!TryRead(address, destination.Length, out Span<byte> chunk))
            {
                return false;
            }

            chunk.CopyTo(destination);
            destination = destination[chunk.Length..];
            address += (uint)chunk.Length;
        }

        return true;
    }

    /// <summary>
    /// Reads the zero-terminated text at user address <paramref name="address"/> into <paramref name="text"/>: its length
    /// without the zero, or a negative errno (EFAULT for a bad pointer, EINVAL for an empty text, ENAMETOOLONG when no
    /// zero comes within <paramref name="text"/>.Length bytes).
    /// </summary>
    public int ReadText(uint address, Span<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!CopyFrom(address + (uint)i, text.Slice(i, 1)))
            {
                return -Errno.EFAULT;
            }

            if (text[i] == 0)
            {
                return i == 0 ? -Errno.EINVAL : i;
            }
        }

        return -Errno.ENAMETOOLONG;
    }

    /// <summary>Copies <paramref name="source"/> to user address <paramref name="address"/>.</summary>
    public bool CopyTo(uint address, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            if (!TryChunk(address, source.Length, PagePermissions.Write, out uint physical, out Span<byte> chunk))
            {
                return false;
            }

            memory.Store(physical, chunk.Length, KernelStructure.UserCopies);
            source[..chunk.Length].CopyTo(chunk);
            source = source[chunk.Length..];
            address += (uint)chunk.Length;
        }

        return true;
    }

    /// <summary>
    /// The physical pieces of the user buffer [<paramref name="address"/>, +<paramref name="length"/>), one per page
    /// it touches, written to <paramref name="segments"/> (which must hold pages + 1); their count, or -1 when a
    /// page is not accessible with <paramref name="needed"/>. For DMA-like transfers (portals).
    /// </summary>
    public int Segments(uint address, int length, PagePermissions needed, Span<Nanvix.Hal.Noc.MemorySegment> segments)
    {
        int count = 0;
        while (length > 0)
        {
            if (!space.TryTranslate(address, needed, out uint physical))
            {
                return -1;
            }

            int inPage = (int)Math.Min((uint)length, KernelConstants.PageSize - (address & (KernelConstants.PageSize - 1)));
            if ((needed & PagePermissions.Write) != 0)
            {
                cluster?.CodeChanged(physical / KernelConstants.PageSize);
            }

            segments[count++] = new Nanvix.Hal.Noc.MemorySegment(physical, inPage);
            address += (uint)inPage;
            length -= inPage;
        }

        return count;
    }

    /// <summary>
    /// The physical bytes behind user address <paramref name="address"/>, at most <paramref name="length"/> of them and
    /// never past the end of its page, if user code may access them with <paramref name="needed"/>.
    /// </summary>
    public bool TrySpan(uint address, int length, PagePermissions needed, out Span<byte> bytes) => TryChunk(address, length, needed, out _, out bytes);

    /// <summary>As <see cref="TrySpan"/> for reading, with the kernel's read of the bytes counted in the serving core's D$ (<see cref="KernelStructure.UserCopies"/>).</summary>
    public bool TryRead(uint address, int length, out Span<byte> bytes)
    {
        if (!TryChunk(address, length, PagePermissions.Read, out uint physical, out bytes))
        {
            return false;
        }

        memory.Load(physical, bytes.Length, KernelStructure.UserCopies);
        return true;
    }

    private bool TryChunk(uint address, int length, PagePermissions needed, out uint physical, out Span<byte> bytes)
    {
        if (!space.TryTranslate(address, needed, out physical))
        {
            bytes = default;
            return false;
        }

        int inPage = (int)(KernelConstants.PageSize - (address & (KernelConstants.PageSize - 1)));
        bytes = memory.Memory.Bytes(physical, Math.Min(length, inPage));
        if ((needed & PagePermissions.Write) != 0)
        {
            cluster?.CodeChanged(physical / KernelConstants.PageSize);
        }

        return true;
    }
}
