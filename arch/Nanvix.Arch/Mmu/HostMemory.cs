using System.Runtime.CompilerServices;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// Loads and stores at a host address given as page base plus offset: the only place where the core turns a cached
/// host pointer into a memory access. Callers have checked the page and the alignment; nothing is checked here.
/// RISC-V and every .NET host this runs on are little-endian, so values are stored as they are.
/// </summary>
internal static unsafe class HostMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Read32(nint page, uint offset) => *(uint*)(page + (nint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Read16(nint page, uint offset) => *(ushort*)(page + (nint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Read8(nint page, uint offset) => *(byte*)(page + (nint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write32(nint page, uint offset, uint value) => *(uint*)(page + (nint)offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write16(nint page, uint offset, ushort value) => *(ushort*)(page + (nint)offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write8(nint page, uint offset, byte value) => *(byte*)(page + (nint)offset) = value;
}
