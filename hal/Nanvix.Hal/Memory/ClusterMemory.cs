using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nanvix.Arch.Mmu;

namespace Nanvix.Hal.Memory;

/// <summary>
/// The private memory of one cluster: one pinned, page-aligned unmanaged buffer, allocated once and never moved or
/// resized, freed on dispose. Every access is checked: it must lie inside the buffer and inside one accessible region
/// of the memory map. An access that breaks this throws <see cref="MemoryAccessException"/>; nothing is written.
/// <para>
/// It is also the physical memory of the cluster's cores (<see cref="IPhysicalMemory"/>): physical address = offset
/// in the buffer, and a page is accessible to a core when it lies wholly in accessible regions.
/// </para>
/// </summary>
public sealed unsafe class ClusterMemory : IDisposable, IPhysicalMemory
{
    /// <summary>Alignment of the buffer on the host: one 4 KB page, so page offsets match host addresses modulo 4 KB.</summary>
    public const int Alignment = 4096;

    private const int PageSize = 4096;

    private readonly bool[] _accessiblePages;
    private byte* _base;

    public ClusterMemory(string owner, MemoryMap map)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(map);
        Owner = owner;
        Map = map;
        Size = map.Size;
        _base = (byte*)NativeMemory.AlignedAlloc(map.Size, Alignment);
        NativeMemory.Clear(_base, map.Size);
        _accessiblePages = new bool[map.Size / PageSize];
        for (uint page = 0; page < _accessiblePages.Length; page++)
        {
            ulong start = (ulong)page * PageSize;
            _accessiblePages[page] = map.TryFind(start, out MemoryRegion region) && region.IsAccessible && region.Contains(start, PageSize);
        }
    }

    /// <inheritdoc/>
    public nint Base
    {
        get
        {
            ObjectDisposedException.ThrowIf(_base == null, this);
            return (nint)_base;
        }
    }

    /// <inheritdoc/>
    public bool IsAccessible(uint pageNumber) => pageNumber < (uint)_accessiblePages.Length && _accessiblePages[pageNumber];

    /// <summary>Name of the cluster that owns this memory, for diagnostics.</summary>
    public string Owner { get; }

    /// <summary>The named regions of this memory.</summary>
    public MemoryMap Map { get; }

    /// <summary>Size of the buffer in bytes.</summary>
    public uint Size { get; }

    /// <summary>True once the buffer was freed; any access then throws <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => _base == null;

    /// <summary>A view of <paramref name="length"/> bytes at <paramref name="offset"/>, inside one accessible region.</summary>
    public Span<byte> Bytes(ulong offset, int length)
    {
        Check(offset, (ulong)length);
        return new Span<byte>(_base + offset, length);
    }

    /// <summary>The whole of one region, by name.</summary>
    public Span<byte> Region(string name)
    {
        MemoryRegion region = Map[name];
        return Bytes(region.Base, checked((int)region.Size));
    }

    /// <summary>A reference to an unmanaged structure stored at <paramref name="offset"/>.</summary>
    public ref T At<T>(ulong offset)
        where T : unmanaged
    {
        Check(offset, (ulong)sizeof(T));
        return ref Unsafe.AsRef<T>(_base + offset);
    }

    /// <summary>Reads an unmanaged value at <paramref name="offset"/> (no alignment required).</summary>
    public T Read<T>(ulong offset)
        where T : unmanaged
    {
        Check(offset, (ulong)sizeof(T));
        return Unsafe.ReadUnaligned<T>(_base + offset);
    }

    /// <summary>Writes an unmanaged value at <paramref name="offset"/> (no alignment required).</summary>
    public void Write<T>(ulong offset, T value)
        where T : unmanaged
    {
        Check(offset, (ulong)sizeof(T));
        Unsafe.WriteUnaligned(_base + offset, value);
    }

    /// <summary>Copies bytes from this memory into another cluster's memory (or within this one; overlap is handled).</summary>
    public void CopyTo(ulong sourceOffset, ClusterMemory destination, ulong destinationOffset, int length)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> source = Bytes(sourceOffset, length);
        source.CopyTo(destination.Bytes(destinationOffset, length));
    }

    public void Dispose()
    {
        if (_base != null)
        {
            NativeMemory.AlignedFree(_base);
            _base = null;
        }
    }

    private void Check(ulong offset, ulong length)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        if (offset > Size || length > Size - offset)
        {
            throw new MemoryAccessException(Owner, offset, length, $"outside the cluster's {Size / 1024} KB of memory");
        }

        if (!Map.TryFind(offset, out MemoryRegion region))
        {
            throw new MemoryAccessException(Owner, offset, length, "no region holds this offset");
        }

        if (!region.IsAccessible)
        {
            throw new MemoryAccessException(Owner, offset, length, $"region '{region.Name}' is reserved");
        }

        if (!region.Contains(offset, length))
        {
            throw new MemoryAccessException(Owner, offset, length, $"crosses the end of region '{region.Name}' at 0x{region.End:x}");
        }
    }
}
