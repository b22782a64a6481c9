using Nanvix.Arch.Cache;

namespace Nanvix.Hal.Machine;

/// <summary>
/// Knobs of the small configurable manycore. Its defaults differ from the MPPA-256 on purpose (one I/O cluster,
/// a mesh instead of a torus, no hypervisor, other sizes and clock) so that nothing above the HAL can quietly
/// depend on the MPPA-256's shape.
/// </summary>
public sealed record SmallManycoreOptions
{
    public int IOClusters { get; init; } = 1;

    public int ComputeClusters { get; init; } = 4;

    public int CoresPerComputeCluster { get; init; } = 4;

    public int CoresPerIOCluster { get; init; } = 2;

    public long FrequencyHz { get; init; } = 100_000_000;

    /// <summary>Each core's I$ and D$: 4 KB, 2-way, 32 B lines, write-through (smaller than the MPPA-256's, on purpose).</summary>
    public CacheGeometry Cache { get; init; } = new(4 * 1024, 2, 32, WritePolicy.WriteThroughNoAllocate);

    /// <summary>
    /// Each core's cycle costs. Assumption: the MPPA-256 model's (the small machine has no published figures of its
    /// own); a knob so that an experiment can give it slower or faster cores.
    /// </summary>
    public Nanvix.Arch.Core.CycleCosts Costs { get; init; } = Nanvix.Arch.Core.CycleCosts.Mppa256;

    public uint KernelImageKB { get; init; } = 64;

    public uint KernelDataKB { get; init; } = 128;

    public uint KernelPoolKB { get; init; } = 64;

    public uint UserKB { get; init; } = 256;

    /// <summary>Routers in a mesh without wrap-around links; I/O clusters hang off the west edge.</summary>
    public bool WrapAround { get; init; }

    public int HopLatencyCycles { get; init; } = 1;

    public int LinkBytesPerCycle { get; init; } = 8;

    public int PacketHeaderBytes { get; init; } = 8;

    public int MailboxPayloadBytes { get; init; } = 64;

    public int PortalChunkBytes { get; init; } = 1024;

    public int SyncSignalBytes { get; init; } = 4;

    public ulong PortalAlphaCycles { get; init; } = 1_000;

    public ulong PortalBetaCentiCyclesPerByte { get; init; } = 100;

    public ulong MailboxCycles { get; init; } = 2_000;

    public ulong SyncCycles { get; init; } = 500;
}
