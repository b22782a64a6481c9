namespace Nanvix.Arch.Cache;

/// <summary>
/// Shape of one cache: total size, associativity, line size and write policy. Size, ways and line size must be powers
/// of two and size a multiple of ways times line size.
/// </summary>
public sealed record CacheGeometry(int SizeBytes, int Ways, int LineBytes, WritePolicy WritePolicy)
{
    /// <summary>
    /// The I$ and D$ of an MPPA-256 compute-cluster k1b core: 8 KB, 2-way, 64 B lines, LRU (nanvix/hal
    /// src/hal/arch/k1b/cache.h; de Dinechin et al., HPEC 2013), write-through (de Dinechin 2013; to confirm).
    /// </summary>
    public static CacheGeometry Mppa256 { get; } = new(8 * 1024, 2, 64, WritePolicy.WriteThroughNoAllocate);

    /// <summary>Number of lines.</summary>
    public int Lines => SizeBytes / LineBytes;

    /// <summary>Number of sets.</summary>
    public int Sets => Lines / Ways;

    /// <summary>Throws when a field is not a power of two or the sizes do not fit together.</summary>
    public void Validate()
    {
        if (!IsPowerOfTwo(SizeBytes) || !IsPowerOfTwo(Ways) || !IsPowerOfTwo(LineBytes) || LineBytes < 4 || SizeBytes < Ways * LineBytes)
        {
            throw new ArgumentException($"cache geometry {SizeBytes} B / {Ways}-way / {LineBytes} B lines: sizes must be powers of two and hold at least one set");
        }
    }

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;
}
