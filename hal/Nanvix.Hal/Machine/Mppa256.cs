using Nanvix.Arch.Cache;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;

namespace Nanvix.Hal.Machine;

/// <summary>
/// The Kalray MPPA-256 (Bostan) as Nanvix sees it. Every constant is in this table with its source.
/// Sources: nanvix/hal (include/arch/…, cited per constant); B. D. de Dinechin et al., "A clustered manycore
/// processor architecture for embedded and accelerated applications", HPEC 2013 (de Dinechin 2013); P. H. Penna et
/// al., JPDC 2021 and J. V. Souto 2019 (the Nanvix IKC measurements the nanvix timing mode is fitted from).
/// </summary>
public static class Mppa256
{
    public const string MachineName = "mppa256";

    /// <summary>Core clock. Source: K1B_CLUSTER_FREQ (nanvix/hal k1b-cluster).</summary>
    public const long FrequencyHz = 400_000_000;

    /// <summary>I/O clusters in Nanvix's view. Source: bostan/clusters.h (IO0, IO1).</summary>
    public const int IOClusters = 2;

    /// <summary>Compute clusters. Source: bostan/clusters.h (CC0..CC15).</summary>
    public const int ComputeClusters = 16;

    /// <summary>Cores per compute cluster, core 0 the master. Source: k1b-cluster/cores.h.</summary>
    public const int ComputeCores = 16;

    /// <summary>Cores per I/O cluster. Source: k1b-cluster/cores.h.</summary>
    public const int IOCores = 4;

    /// <summary>NoC nodes per I/O cluster (one per DMA interface). Source: bostan/noc.h (IO0 → 0-3, IO1 → 4-7).</summary>
    public const int NodesPerIOCluster = 4;

    /// <summary>Compute-cluster memory. Source: K1B_NODE_MEM_SIZE (k1b-cluster/memory.h).</summary>
    public const uint ComputeMemoryBytes = 2 * 1024 * 1024;

    /// <summary>I/O-cluster memory. Source: K1B_IODDR_MEM_SIZE (k1b-cluster/memory.h).</summary>
    public const uint IOMemoryBytes = 4 * 1024 * 1024;

    /// <summary>Low hypervisor carve-out of a compute cluster, [0, 0x8000). Source: K1B_CLUSTER_HYPER_LOW_END_PHYS.</summary>
    public const uint ComputeHyperLowEnd = 0x8000;

    /// <summary>High hypervisor carve-out of a compute cluster, [0x1F8000, 2 MB). Source: K1B_CLUSTER_HYPER_HIGH_BASE_PHYS.</summary>
    public const uint ComputeHyperHighBase = 0x1F8000;

    /// <summary>I/O hypervisor carve-outs: 64 KB at the bottom and at the top. Source: k1b-cluster/memory.h (__ioddr__).</summary>
    public const uint IOHyperBytes = 0x10000;

    /// <summary>
    /// Room for the kernel image (text and read-only data), from 0x8000. Nanvix's linker script sizes it from the
    /// kernel it links; we reserve 256 KB, more than the real image needs.
    /// </summary>
    public const uint KernelImageBytes = 256 * 1024;

    /// <summary>Kernel globals, kernel stacks and per-process kernel state of a compute cluster (our choice, see docs/machine.md).</summary>
    public const uint ComputeKernelDataBytes = 256 * 1024;

    /// <summary>Kernel-page pool of a compute cluster: 160 KB. Source: K1B_CLUSTER_KPOOL_SIZE in the revision the seed used.</summary>
    public const uint ComputeKernelPoolBytes = 160 * 1024;

    /// <summary>Kernel-page pool of an I/O cluster: 64 KB. Source: K1B_CLUSTER_KPOOL_SIZE (__ioddr__).</summary>
    public const uint IOKernelPoolBytes = 64 * 1024;

    /// <summary>Kernel data of an I/O cluster (services' tables live here): 1 MB (our choice).</summary>
    public const uint IOKernelDataBytes = 1024 * 1024;

    /// <summary>User memory on every cluster: 512 KB. Source: K1B_CLUSTER_UMEM_SIZE.</summary>
    public const uint UserBytes = 512 * 1024;

    /// <summary>
    /// I$ and D$ of an I/O-cluster core: 32 KB, otherwise as a compute core's (de Dinechin et al., HPEC 2013); the
    /// caches of compute cores are <see cref="CacheGeometry.Mppa256"/>.
    /// </summary>
    public static CacheGeometry IOCache { get; } = CacheGeometry.Mppa256 with { SizeBytes = 32 * 1024 };

    /// <summary>
    /// Grid of the compute clusters' routers: a 4x4 2-D torus. Source: de Dinechin 2013 (two 2-D torus NoCs, data and
    /// control, joining 16 compute clusters and the I/O subsystems at the edges).
    /// </summary>
    public const int GridWidth = 4;

    /// <inheritdoc cref="GridWidth"/>
    public const int GridHeight = 4;

    /// <summary>
    /// Cycles for a packet head to cross one router and its link. Not published for the MPPA-256; 2 cycles is our
    /// assumption for a wormhole router of that class (configurable through <see cref="Spec(HardwareTiming?)"/>).
    /// </summary>
    public const int HopLatencyCycles = 2;

    /// <summary>Link bandwidth: about 4 B/cycle (32-bit flits at the core clock). Source: de Dinechin 2013/2017.</summary>
    public const int LinkBytesPerCycle = 4;

    /// <summary>Header of every NoC packet: 16 B, as the header of a mailbox message and of a portal chunk. Source: mppa256/mailbox.h, portal.h.</summary>
    public const int PacketHeaderBytes = 16;

    /// <summary>Mailbox payload: 128 B of a 144 B message. Source: mppa256/mailbox.h (HAL_MAILBOX_MSG_SIZE).</summary>
    public const int MailboxPayloadBytes = 128;

    /// <summary>Portal chunk: up to 4 KB of payload per packet. Source: mppa256/portal.h; the microkernel splits longer writes.</summary>
    public const int PortalChunkBytes = 4096;

    /// <summary>A sync signal on the control NoC: one 64-bit mask word. Source: de Dinechin 2013 (control NoC barrier registers).</summary>
    public const int SyncSignalBytes = 8;

    /// <summary>
    /// Nanvix software path, portal: α ≈ 7.8k cycles per transfer. Fitted from the portal ping-pong of Souto 2019 /
    /// Penna et al. JPDC 2021 (about 63 MB/s at 4 KB, 89 MB/s at 64 KB at 400 MHz).
    /// </summary>
    public const ulong PortalAlphaCycles = 7_800;

    /// <summary>Nanvix software path, portal: β ≈ 4.15 cycles per byte (same fit as α), in hundredths of a cycle.</summary>
    public const ulong PortalBetaCentiCyclesPerByte = 415;

    /// <summary>
    /// Nanvix software path, mailbox: one way of the 120 B ping-pong between IO0 and one compute cluster, which takes
    /// about 75.6k cycles. Source: Souto 2019 / Penna et al. JPDC 2021.
    /// </summary>
    public const ulong MailboxCycles = 75_600 / 2;

    /// <summary>
    /// Nanvix software path, sync: no separate figure is published; we charge one mailbox message, since both are one
    /// kernel call and one small NoC packet (assumption, see docs/machine.md).
    /// </summary>
    public const ulong SyncCycles = MailboxCycles;

    /// <summary>The MPPA-256, with the hardware timing parameters above unless <paramref name="hardware"/> overrides them.</summary>
    public static ProcessorSpec Spec(HardwareTiming? hardware = null)
    {
        var clusters = new List<ClusterSpec>();
        var nodes = new List<NodeAttachment>();

        // IO0 hangs off the north edge of the torus and IO1 off the south edge, one DMA interface per column.
        for (int io = 0; io < IOClusters; io++)
        {
            int row = io == 0 ? 0 : GridHeight - 1;
            var ioNodes = new List<int>();
            for (int i = 0; i < NodesPerIOCluster; i++)
            {
                ioNodes.Add(nodes.Count);
                nodes.Add(new NodeAttachment(i % GridWidth, row, ThroughEdgeLink: true));
            }

            clusters.Add(new ClusterSpec(io, $"IO{io}", ClusterKind.IO, IOCores, IOMemoryMap(), ioNodes) { InstructionCache = IOCache, DataCache = IOCache });
        }

        for (int cc = 0; cc < ComputeClusters; cc++)
        {
            int node = nodes.Count;
            nodes.Add(new NodeAttachment(cc % GridWidth, cc / GridWidth, ThroughEdgeLink: false));
            clusters.Add(new ClusterSpec(IOClusters + cc, $"CC{cc}", ClusterKind.Compute, ComputeCores, ComputeMemoryMap(), [node]) { InstructionCache = CacheGeometry.Mppa256, DataCache = CacheGeometry.Mppa256 });
        }

        var noc = new NocSpec(
            new NocTopology(GridWidth, GridHeight, wrapAround: true, nodes),
            hardware ?? new HardwareTiming(HopLatencyCycles, LinkBytesPerCycle, PacketHeaderBytes),
            new NanvixTiming(PortalAlphaCycles, PortalBetaCentiCyclesPerByte, MailboxCycles, SyncCycles),
            MailboxPayloadBytes,
            PacketHeaderBytes,
            PortalChunkBytes,
            SyncSignalBytes);

        return new ProcessorSpec(MachineName, "Kalray MPPA-256 (Bostan) as Nanvix sees it: 2 I/O + 16 compute clusters", FrequencyHz, clusters, noc);
    }

    /// <summary>Memory map of a compute cluster: 2 MB, hypervisor carve-outs at both ends.</summary>
    public static MemoryMap ComputeMemoryMap()
    {
        var layout = new MemoryLayoutBuilder(ComputeMemoryBytes);
        layout.Add(MemoryRegionNames.HypervisorLow, ComputeHyperLowEnd, RegionAccess.None);
        layout.Add(MemoryRegionNames.KernelImage, KernelImageBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.KernelData, ComputeKernelDataBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.KernelPool, ComputeKernelPoolBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.User, UserBytes, RegionAccess.User | RegionAccess.Kernel);
        layout.AddUpTo(MemoryRegionNames.Unused, ComputeHyperHighBase, RegionAccess.None);
        layout.AddUpTo(MemoryRegionNames.HypervisorHigh, ComputeMemoryBytes, RegionAccess.None);
        return layout.Build();
    }

    /// <summary>Memory map of an I/O cluster: 4 MB, 64 KB hypervisor carve-outs at both ends.</summary>
    public static MemoryMap IOMemoryMap()
    {
        var layout = new MemoryLayoutBuilder(IOMemoryBytes);
        layout.Add(MemoryRegionNames.HypervisorLow, IOHyperBytes, RegionAccess.None);
        layout.Add(MemoryRegionNames.KernelImage, KernelImageBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.KernelData, IOKernelDataBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.KernelPool, IOKernelPoolBytes, RegionAccess.Kernel);
        layout.Add(MemoryRegionNames.User, UserBytes, RegionAccess.User | RegionAccess.Kernel);
        layout.AddUpTo(MemoryRegionNames.Unused, IOMemoryBytes - IOHyperBytes, RegionAccess.None);
        layout.AddUpTo(MemoryRegionNames.HypervisorHigh, IOMemoryBytes, RegionAccess.None);
        return layout.Build();
    }
}
