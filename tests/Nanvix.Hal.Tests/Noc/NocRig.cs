using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>
/// A processor built for one NoC test, with the MPPA-256 node numbers tests use and the hardware formula written out
/// independently of the implementation, so that expected cycle counts come from the constants, not from the code
/// under test.
/// </summary>
internal sealed class NocRig : IDisposable
{
    public const int IO0 = 0;
    public const int CC0 = 8;
    public const int CC1 = 9;
    public const int CC2 = 10;
    public const int CC3 = 11;
    public const int CC4 = 12;
    public const int CC5 = 13;
    public const int CC10 = 18;

    public NocRig(NocTimingMode mode = NocTimingMode.Hardware, ProcessorSpec? spec = null)
    {
        Machine = new Nanvix.Hal.Processor.Processor(spec ?? Mppa256.Spec(), mode);
    }

    public IProcessor Machine { get; }

    public INoc Noc => Machine.Noc;

    public EventScheduler Scheduler => Machine.Scheduler;

    public ulong Now => Scheduler.Now;

    /// <summary>Cycles one MPPA-256 packet of <paramref name="payload"/> bytes occupies a link: ceil((payload + header) / bandwidth).</summary>
    public static ulong Serialization(int payload) =>
        (ulong)((payload + Mppa256.PacketHeaderBytes + Mppa256.LinkBytesPerCycle - 1) / Mppa256.LinkBytesPerCycle);

    /// <summary>Serialization of a whole MPPA-256 portal write: full 4 KB chunks and a shorter last one.</summary>
    public static ulong PortalSerialization(int bytes)
    {
        ulong cycles = 0;
        for (int left = bytes; left > 0; left -= Mppa256.PortalChunkBytes)
        {
            cycles += Serialization(Math.Min(left, Mppa256.PortalChunkBytes));
        }

        return cycles;
    }

    /// <summary>The hop latency of the MPPA-256 as a cycle count.</summary>
    public static ulong Hops(int hops) => (ulong)hops * Mppa256.HopLatencyCycles;

    public ClusterMemory MemoryOf(int node) => Machine.Clusters[Machine.Spec.ClusterOfNode(node).Id].Memory;

    /// <summary>Start of the user region of the cluster owning <paramref name="node"/>: a buffer tests may use freely.</summary>
    public ulong UserBase(int node) => MemoryOf(node).Map[MemoryRegionNames.User].Base;

    /// <summary>Fills <paramref name="length"/> bytes at <paramref name="offset"/> of the node's memory with a pattern seeded by <paramref name="seed"/>.</summary>
    public void Fill(int node, ulong offset, int length, int seed)
    {
        Span<byte> bytes = MemoryOf(node).Bytes(offset, length);
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Pattern(i, seed);
        }
    }

    public static byte Pattern(int index, int seed) => (byte)((index * 31) + (index >> 8) + (seed * 7) + 1);

    public void Dispose() => Machine.Dispose();
}
