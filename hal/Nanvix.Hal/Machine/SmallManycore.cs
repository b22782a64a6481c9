using Nanvix.Arch.Cache;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;

namespace Nanvix.Hal.Machine;

/// <summary>A small configurable manycore for tests and experiments: a few clusters on a mesh, everything a knob.</summary>
public static class SmallManycore
{
    public const string MachineName = "small";

    public static ProcessorSpec Spec(SmallManycoreOptions? options = null)
    {
        SmallManycoreOptions o = options ?? new SmallManycoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(o.IOClusters, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.ComputeClusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.CoresPerComputeCluster, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.CoresPerIOCluster, 1);

        // Compute clusters fill a near-square grid row by row; I/O clusters attach to the west edge, one per row.
        int width = (int)Math.Ceiling(Math.Sqrt(o.ComputeClusters));
        int height = (o.ComputeClusters + width - 1) / width;
        if (o.IOClusters > height)
        {
            throw new ArgumentException($"small manycore: {o.IOClusters} I/O clusters need {o.IOClusters} rows, the grid has {height}");
        }

        var clusters = new List<ClusterSpec>();
        var nodes = new List<NodeAttachment>();
        for (int io = 0; io < o.IOClusters; io++)
        {
            clusters.Add(new ClusterSpec(clusters.Count, $"IO{io}", ClusterKind.IO, o.CoresPerIOCluster, MemoryMapOf(o), [nodes.Count]) { InstructionCache = o.Cache, DataCache = o.Cache, Costs = o.Costs });
            nodes.Add(new NodeAttachment(0, io, ThroughEdgeLink: true));
        }

        for (int cc = 0; cc < o.ComputeClusters; cc++)
        {
            clusters.Add(new ClusterSpec(clusters.Count, $"CC{cc}", ClusterKind.Compute, o.CoresPerComputeCluster, MemoryMapOf(o), [nodes.Count]) { InstructionCache = o.Cache, DataCache = o.Cache, Costs = o.Costs });
            nodes.Add(new NodeAttachment(cc % width, cc / width, ThroughEdgeLink: false));
        }

        var noc = new NocSpec(
            new NocTopology(width, height, o.WrapAround, nodes),
            new HardwareTiming(o.HopLatencyCycles, o.LinkBytesPerCycle, o.PacketHeaderBytes),
            new NanvixTiming(o.PortalAlphaCycles, o.PortalBetaCentiCyclesPerByte, o.MailboxCycles, o.SyncCycles),
            o.MailboxPayloadBytes,
            o.PacketHeaderBytes,
            o.PortalChunkBytes,
            o.SyncSignalBytes);

        return new ProcessorSpec(
            MachineName,
            $"small configurable manycore: {o.IOClusters} I/O + {o.ComputeClusters} compute clusters",
            o.FrequencyHz,
            clusters,
            noc);
    }

    private static MemoryMap MemoryMapOf(SmallManycoreOptions o)
    {
        const uint KB = 1024;
        uint size = (o.KernelImageKB + o.KernelDataKB + o.KernelPoolKB + o.UserKB) * KB;
        return new MemoryLayoutBuilder(size)
            .Add(MemoryRegionNames.KernelImage, o.KernelImageKB * KB, RegionAccess.Kernel)
            .Add(MemoryRegionNames.KernelData, o.KernelDataKB * KB, RegionAccess.Kernel)
            .Add(MemoryRegionNames.KernelPool, o.KernelPoolKB * KB, RegionAccess.Kernel)
            .Add(MemoryRegionNames.User, o.UserKB * KB, RegionAccess.User | RegionAccess.Kernel)
            .Build();
    }
}
