using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;

namespace Nanvix.Cli;

/// <summary>Writes what <c>nanvix info</c> shows: a processor's clusters, memory maps, NoC and timing, as plain text tables.</summary>
public static class ProcessorReport
{
    public static void Write(ProcessorSpec spec, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        NocSpec noc = spec.Noc;
        NocTopology topology = noc.Topology;

        output.WriteLine($"machine   {spec.Name}: {spec.Description}");
        output.WriteLine($"clock     {spec.FrequencyHz / 1_000_000.0:0.###} MHz");
        output.WriteLine();

        output.WriteLine($"clusters ({spec.Clusters.Count})");
        output.WriteLine("  name   id  kind     cores  master  memory    noc nodes");
        foreach (ClusterSpec c in spec.Clusters)
        {
            output.WriteLine($"  {c.Name,-5} {c.Id,3}  {KindName(c.Kind),-7} {c.CoreCount,6}  core{ClusterSpec.MasterCore,-2}  {c.MemoryMap.Size / 1024,5} KB  {NodeList(c.NocNodes)}");
        }

        // Clusters of one kind share a map on both backends; print each distinct map once with who uses it.
        foreach (IGrouping<MemoryMap, ClusterSpec> group in spec.Clusters.GroupBy(c => c.MemoryMap, MemoryMapComparer.Instance))
        {
            output.WriteLine();
            output.WriteLine($"memory map of {string.Join(", ", group.Select(c => c.Name))}");
            output.WriteLine("  region            base      end       size      access");
            foreach (MemoryRegion r in group.Key.Regions)
            {
                output.WriteLine($"  {r.Name,-16}  0x{r.Base:x6}  0x{r.End:x6}  {r.Size / 1024,5} KB  {AccessName(r.Access)}");
            }
        }

        // Clusters of one kind share their caches' shape; one line per distinct shape with who has it.
        output.WriteLine();
        output.WriteLine("caches per core (I$ and D$, when the cache model is on)");
        foreach (IGrouping<(Arch.Cache.CacheGeometry, Arch.Cache.CacheGeometry), ClusterSpec> group in spec.Clusters.GroupBy(c => (c.InstructionCache, c.DataCache)))
        {
            (Arch.Cache.CacheGeometry i, Arch.Cache.CacheGeometry d) = group.Key;
            output.WriteLine($"  {string.Join(", ", group.Select(c => c.Name))}: I$ {CacheName(i)}; D$ {CacheName(d)}");
        }

        output.WriteLine();
        output.WriteLine($"noc       {topology.NodeCount} nodes, routers on a {topology.Kind}, dimension-order routing (X, then Y), {topology.LinkCount} directed links");
        output.WriteLine("  node  cluster  router  attached");
        for (int node = 0; node < topology.NodeCount; node++)
        {
            NodeAttachment a = topology.Attachment(node);
            output.WriteLine($"  {node,4}  {spec.ClusterOfNode(node).Name,-7}  ({a.X},{a.Y})   {(a.ThroughEdgeLink ? "edge link" : "local port")}");
        }

        output.WriteLine();
        output.WriteLine("hops between the main nodes of the clusters");
        output.Write("        ");
        foreach (ClusterSpec c in spec.Clusters)
        {
            output.Write($"{c.Name,5}");
        }

        output.WriteLine();
        foreach (ClusterSpec from in spec.Clusters)
        {
            output.Write($"  {from.Name,-5} ");
            foreach (ClusterSpec to in spec.Clusters)
            {
                output.Write($"{topology.Hops(from.NocNodes[0], to.NocNodes[0]),5}");
            }

            output.WriteLine();
        }

        HardwareTiming hw = noc.Hardware;
        output.WriteLine();
        output.WriteLine("connectors");
        output.WriteLine($"  mailbox   {noc.MailboxMessageBytes} B messages: {noc.MailboxHeaderBytes} B header + {noc.MailboxPayloadBytes} B payload; FIFO per sender-receiver pair");
        output.WriteLine($"  portal    receiver allows, sender writes; chunks of up to {noc.PortalChunkBytes} B + {hw.PacketHeaderBytes} B header");
        output.WriteLine($"  sync      one-to-all and all-to-one; {noc.SyncSignalBytes} B signal");
        output.WriteLine();
        output.WriteLine("timing: hardware mode");
        output.WriteLine($"  hop latency {hw.HopLatencyCycles} cycles, link {hw.LinkBytesPerCycle} B/cycle, packet header {hw.PacketHeaderBytes} B, per-link contention (FIFO)");
        output.WriteLine("  a packet of P bytes over H hops: H * hop + ceil((P + header) / link) cycles");
        output.WriteLine();
        NanvixTiming nv = noc.Nanvix;
        output.WriteLine("timing: nanvix mode (software path fitted from the real chip)");
        output.WriteLine($"  portal    {nv.PortalAlphaCycles} + {nv.PortalBetaCentiCyclesPerByte / 100.0:0.00} * bytes cycles per transfer");
        output.WriteLine($"  mailbox   {nv.MailboxCycles} cycles one way");
        output.WriteLine($"  sync      {nv.SyncCycles} cycles one way");
        output.WriteLine("  portal    bytes     cycles      us       MB/s");
        foreach (int bytes in (ReadOnlySpan<int>)[4096, 16384, 65536])
        {
            ulong cycles = nv.PortalCycles(bytes);
            double microseconds = cycles * 1e6 / spec.FrequencyHz;
            output.WriteLine($"         {bytes,10}  {cycles,9}  {microseconds,8:0.0}  {bytes / microseconds,7:0.0}");
        }
    }

    private static string CacheName(Arch.Cache.CacheGeometry cache) =>
        $"{cache.SizeBytes / 1024} KB, {cache.Ways}-way, {cache.LineBytes} B lines, {(cache.WritePolicy == Arch.Cache.WritePolicy.WriteThroughNoAllocate ? "write-through" : "write-back")}";

    private static string KindName(ClusterKind kind) => kind == ClusterKind.IO ? "io" : "compute";

    private static string AccessName(RegionAccess access) => access switch
    {
        RegionAccess.None => "reserved",
        RegionAccess.Kernel => "kernel",
        _ => "user+kernel",
    };

    private static string NodeList(IReadOnlyList<int> nodes) =>
        nodes.Count == 1 ? $"{nodes[0]}" : $"{nodes[0]}-{nodes[^1]}";

    private sealed class MemoryMapComparer : IEqualityComparer<MemoryMap>
    {
        public static readonly MemoryMapComparer Instance = new();

        public bool Equals(MemoryMap? x, MemoryMap? y) =>
            x is not null && y is not null && x.Regions.SequenceEqual(y.Regions);

        public int GetHashCode(MemoryMap obj) => HashCode.Combine(obj.Size, obj.Regions.Count);
    }
}
