namespace Nanvix.Hal.Memory;

/// <summary>An access to cluster memory outside the buffer, across a region boundary, or into a region nobody may touch.</summary>
public sealed class MemoryAccessException : Exception
{
    public MemoryAccessException(string cluster, ulong offset, ulong length, string reason)
        : base($"{cluster}: access of {length} byte(s) at 0x{offset:x}: {reason}")
    {
        Cluster = cluster;
        Offset = offset;
        Length = length;
    }

    public string Cluster { get; }

    public ulong Offset { get; }

    public ulong Length { get; }
}
