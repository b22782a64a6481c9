using System.Runtime.InteropServices;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// Physical memory over one zeroed, page-aligned native buffer, every page accessible unless marked otherwise. For
/// tests and tools; a cluster brings its own <see cref="IPhysicalMemory"/>.
/// </summary>
public sealed unsafe class FlatPhysicalMemory : IPhysicalMemory, IDisposable
{
    private readonly bool[] _inaccessible;
    private byte* _base;

    /// <param name="size">Bytes of memory, a non-zero multiple of <see cref="Sv32.PageSize"/>.</param>
    public FlatPhysicalMemory(uint size)
    {
        if (size == 0 || size % Sv32.PageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "must be a non-zero multiple of 4 KB");
        }

        Size = size;
        _inaccessible = new bool[size / Sv32.PageSize];
        _base = (byte*)NativeMemory.AlignedAlloc(size, Sv32.PageSize);
        NativeMemory.Clear(_base, size);
    }

    public nint Base
    {
        get
        {
            ObjectDisposedException.ThrowIf(_base == null, this);
            return (nint)_base;
        }
    }

    public uint Size { get; }

    /// <summary>The whole memory as bytes, for loading programs and checking results.</summary>
    public Span<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_base == null, this);
            return new Span<byte>(_base, (int)Size);
        }
    }

    public bool IsAccessible(uint pageNumber) => pageNumber < _inaccessible.Length && !_inaccessible[pageNumber];

    /// <summary>Makes a page inaccessible (or accessible again); flush the TLBs that may have cached it.</summary>
    public void SetAccessible(uint pageNumber, bool accessible) => _inaccessible[pageNumber] = !accessible;

    public uint Read32(uint address) => MemoryMarshal.Read<uint>(Bytes.Slice((int)address, 4));

    public void Write32(uint address, uint value) => MemoryMarshal.Write(Bytes.Slice((int)address, 4), in value);

    public void Dispose()
    {
        if (_base != null)
        {
            NativeMemory.AlignedFree(_base);
            _base = null;
        }
    }
}
