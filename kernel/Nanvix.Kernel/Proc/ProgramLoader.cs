using System.Buffers.Binary;
using System.Text;
using Nanvix.Arch.Elf;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Proc;

/// <summary>
/// Puts a validated executable into an address space: each segment's pages mapped with the segment's permissions
/// (text read+execute, data read+write), file bytes copied, the rest zero (frames come zeroed); then the main
/// stack with a guard page below it and the Linux initial stack on top (argc, argv, envp, auxv), as qemu-riscv32
/// builds it, so the same program runs unchanged on both.
/// </summary>
public static class ProgramLoader
{
    /// <summary>Auxiliary vector keys (Linux include/uapi/linux/auxvec.h).</summary>
    private const uint AtNull = 0;
    private const uint AtPageSize = 6;

    /// <summary>Most bytes of argument strings a program may get: they live on its 8 KB main stack.</summary>
    public const int MaxArgumentBytes = 2048;

    /// <summary>Maps and fills the segments of <paramref name="image"/>; false when memory ran out.</summary>
    public static bool LoadSegments(ElfImage image, AddressSpace space, UserAccess user)
    {
        foreach (ElfSegment segment in image.Segments)
        {
            PagePermissions permissions = PagePermissions.Read;
            if (segment.Permissions.HasFlag(SegmentPermissions.Write))
            {
                permissions |= PagePermissions.Write;
            }

            if (segment.Permissions.HasFlag(SegmentPermissions.Execute))
            {
                permissions |= PagePermissions.Execute;
            }

            for (ulong page = segment.VirtualAddress & ~(ulong)(KernelConstants.PageSize - 1); page < segment.End; page += KernelConstants.PageSize)
            {
                // Map writable first so the kernel can copy the bytes in; the final permissions are set after.
                if (!space.MapNew((uint)page, permissions | PagePermissions.Write))
                {
                    return false;
                }
            }

            if (!user.CopyTo(segment.VirtualAddress, image.FileBytes(segment)))
            {
                throw new InvalidOperationException("kernel bug: a segment just mapped refused its bytes");
            }
        }

        // Drop the write permission the copy needed from pages of segments that are not writable.
        foreach (ElfSegment segment in image.Segments)
        {
            if (!segment.Permissions.HasFlag(SegmentPermissions.Write))
            {
                for (ulong page = segment.VirtualAddress & ~(ulong)(KernelConstants.PageSize - 1); page < segment.End; page += KernelConstants.PageSize)
                {
                    if (!PageSharedWithWritableSegment(image, (uint)page))
                    {
                        space.Restrict((uint)page, PagePermissions.Write);
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Maps the main stack below <see cref="KernelConstants.UserStackTop"/>; false when memory ran out.</summary>
    public static bool MapStack(AddressSpace space)
    {
        for (uint page = KernelConstants.UserStackTop - KernelConstants.MainStackBytes; page < KernelConstants.UserStackTop; page += KernelConstants.PageSize)
        {
            if (!space.MapNew(page, PagePermissions.ReadWrite))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes argc, argv, an empty envp and the auxiliary vector at the top of the stack; returns the initial sp.</summary>
    /// <exception cref="KernelException">The arguments do not fit.</exception>
    public static uint BuildInitialStack(UserAccess user, IReadOnlyList<string> arguments)
    {
        int stringBytes = 0;
        foreach (string argument in arguments)
        {
            stringBytes += Encoding.UTF8.GetByteCount(argument) + 1;
        }

        if (stringBytes > MaxArgumentBytes)
        {
            throw new KernelException($"arguments take {stringBytes} bytes; at most {MaxArgumentBytes} fit on the initial stack");
        }

        uint top = KernelConstants.UserStackTop;
        uint stringsStart = top - (uint)stringBytes;
        var pointers = new uint[arguments.Count];
        uint at = stringsStart;
        Span<byte> encoded = stackalloc byte[MaxArgumentBytes];
        for (int i = 0; i < arguments.Count; i++)
        {
            int length = Encoding.UTF8.GetBytes(arguments[i], encoded);
            encoded[length] = 0;
            user.CopyTo(at, encoded[..(length + 1)]);
            pointers[i] = at;
            at += (uint)length + 1;
        }

        // argc, argv[0..n-1], NULL, envp NULL, (AT_PAGESZ, 4096), (AT_NULL, 0).
        int words = 1 + arguments.Count + 1 + 1 + 4;
        uint sp = (stringsStart - (uint)(words * 4)) & ~15u;
        Span<byte> vector = stackalloc byte[words * 4];
        vector.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(vector, (uint)arguments.Count);
        for (int i = 0; i < pointers.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(vector[(4 * (1 + i))..], pointers[i]);
        }

        int aux = 4 * (1 + arguments.Count + 2);
        BinaryPrimitives.WriteUInt32LittleEndian(vector[aux..], AtPageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(vector[(aux + 4)..], KernelConstants.PageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(vector[(aux + 8)..], AtNull);
        user.CopyTo(sp, vector);
        return sp;
    }

    private static bool PageSharedWithWritableSegment(ElfImage image, uint page)
    {
        foreach (ElfSegment other in image.Segments)
        {
            if (other.Permissions.HasFlag(SegmentPermissions.Write) && other.VirtualAddress < page + KernelConstants.PageSize && other.End > page)
            {
                return true;
            }
        }

        return false;
    }
}
