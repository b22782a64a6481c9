using System.Buffers.Binary;
using System.Text;
using Nanvix.Arch.Elf;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Proc;

/// <summary>
/// Puts a validated executable into an address space: first checks that every segment lies where programs may go
/// (<see cref="UserAddressMap"/>: above the null page, below the stacks), then maps each page once with the union of
/// the permissions of the segments on it (text read+execute, data read+write), copies the file bytes in (the rest is
/// zero: frames come zeroed); then the main stack with a guard page below it and the Linux initial stack on top
/// (argc, argv, envp, auxv), as qemu-riscv32 builds it, so the same program runs unchanged on both.
/// </summary>
public static class ProgramLoader
{
    /// <summary>Auxiliary vector keys (Linux include/uapi/linux/auxvec.h).</summary>
    private const uint AtNull = 0;
    private const uint AtPageSize = 6;

    /// <summary>Most bytes of argument strings a program may get: they live on its 8 KB main stack.</summary>
    public const int MaxArgumentBytes = 2048;

    /// <summary>
    /// Refuses an image with a segment outside [<see cref="UserAddressMap.ImageBottom"/>,
    /// <see cref="UserAddressMap.ImageTop"/>): over the null page, a stack or its guard page, or the kernel's half.
    /// The message names the segment (the first in program-header order), its range and what it overlaps.
    /// </summary>
    /// <exception cref="KernelException">A segment lies outside the image range.</exception>
    public static void CheckPlacement(ElfImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ElfSegment? offender = null;
        UserRange overlapped = default;
        foreach (ElfSegment segment in image.Segments)
        {
            if ((offender is null || segment.HeaderIndex < offender.Value.HeaderIndex)
                && UserAddressMap.TryFindReserved(segment.VirtualAddress, segment.End, out UserRange range))
            {
                offender = segment;
                overlapped = range;
            }
        }

        if (offender is { } bad)
        {
            throw new KernelException(
                $"{bad.Describe()} overlaps {overlapped}: a program's segments must lie in [0x{UserAddressMap.ImageBottom:x}, 0x{UserAddressMap.ImageTop:x}), below the stacks (link at lld's default 0x10000)");
        }
    }

    /// <summary>
    /// Maps and fills the segments of <paramref name="image"/> into the empty <paramref name="space"/>; false when
    /// memory ran out. Call <see cref="CheckPlacement"/> first: a segment over a reserved page is a kernel bug here.
    /// </summary>
    public static bool LoadSegments(ElfImage image, AddressSpace space, UserAccess user)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(space);
        ulong mappedUpTo = 0;
        foreach (ElfSegment segment in image.Segments)
        {
            // Segments are sorted and disjoint, so a page below mappedUpTo was mapped for the segment before, with
            // the permissions of both: each page is mapped once. Writable first, so that the kernel can copy the
            // bytes in; pages no writable segment touches lose the write permission after.
            for (ulong page = Math.Max(PageDown(segment.VirtualAddress), mappedUpTo); page < segment.End; page += KernelConstants.PageSize)
            {
                MapResult result = space.MapNew((uint)page, PermissionsOf(image, (uint)page) | PagePermissions.Write);
                if (result == MapResult.NoMemory)
                {
                    return false;
                }

                if (result != MapResult.Mapped)
                {
                    throw new InvalidOperationException($"kernel bug: page 0x{page:x} of {segment.Describe()} could not be mapped ({result}); CheckPlacement lets no such image through");
                }

                mappedUpTo = page + KernelConstants.PageSize;
            }

            if (!user.CopyTo(segment.VirtualAddress, image.FileBytes(segment)))
            {
                throw new InvalidOperationException("kernel bug: a segment just mapped refused its bytes");
            }
        }

        foreach (ElfSegment segment in image.Segments)
        {
            for (ulong page = PageDown(segment.VirtualAddress); page < segment.End; page += KernelConstants.PageSize)
            {
                if ((PermissionsOf(image, (uint)page) & PagePermissions.Write) == 0)
                {
                    space.Restrict((uint)page, PagePermissions.Write);
                }
            }
        }

        return true;
    }

    /// <summary>Maps the main stack, [<see cref="UserAddressMap.MainStackBottom"/>, <see cref="UserAddressMap.UserTop"/>); false when memory ran out.</summary>
    public static bool MapStack(AddressSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.MapRange(UserAddressMap.MainStackBottom, UserAddressMap.UserTop, PagePermissions.ReadWrite) switch
        {
            MapResult.Mapped => true,
            MapResult.NoMemory => false,
            MapResult other => throw new InvalidOperationException($"kernel bug: the main stack could not be mapped ({other}); CheckPlacement keeps segments off it"),
        };
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

        uint top = UserAddressMap.UserTop;
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

    private static ulong PageDown(uint address) => address & ~(ulong)(KernelConstants.PageSize - 1);

    /// <summary>The union of the permissions of the segments on <paramref name="page"/>, Read always included.</summary>
    private static PagePermissions PermissionsOf(ElfImage image, uint page)
    {
        PagePermissions permissions = PagePermissions.Read;
        foreach (ElfSegment segment in image.Segments)
        {
            if (segment.VirtualAddress < (ulong)page + KernelConstants.PageSize && segment.End > page)
            {
                if (segment.Permissions.HasFlag(SegmentPermissions.Write))
                {
                    permissions |= PagePermissions.Write;
                }

                if (segment.Permissions.HasFlag(SegmentPermissions.Execute))
                {
                    permissions |= PagePermissions.Execute;
                }
            }
        }

        return permissions;
    }
}
