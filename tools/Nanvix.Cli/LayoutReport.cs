using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Layout;

namespace Nanvix.Cli;

/// <summary>
/// What <c>nanvix layout</c> shows for a compute cluster: its memory map, where the chosen process layout puts the
/// per-process kernel state (from a freshly booted kernel), and the structures that state is made of, pahole-style.
/// </summary>
public static class LayoutReport
{
    public static void Write(ProcessorSpec spec, ProcessLayoutKind layout, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        ClusterSpec clusterSpec = spec.Clusters.First(c => c.Kind == ClusterKind.Compute);
        string layoutName = RunCommand.LayoutName(layout);
        output.WriteLine($"machine   {spec.Name}: compute cluster {clusterSpec.Name} ({clusterSpec.CoreCount} cores), layout {layoutName}, {StructReport.CacheLine} B cache lines");
        output.WriteLine();

        output.WriteLine($"memory map of {clusterSpec.Name}");
        output.WriteLine("  region            base      end       size");
        foreach (MemoryRegion r in clusterSpec.MemoryMap.Regions)
        {
            output.WriteLine($"  {r.Name,-16}  0x{r.Base:x6}  0x{r.End:x6}  {Size(r.Size),9}");
        }

        // A throwaway kernel decides the plan exactly as a run would.
        using var processor = new Processor(spec);
        ICluster cluster = processor.Cluster(clusterSpec.Name);
        IClusterKernel kernel = ClusterKernel.Create(cluster, spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, null), layout, processor: processor);
        KernelDataPlan plan = kernel.Plan;
        IReadOnlyList<Placement> placements = plan.Placements;
        ulong start = placements.Count == 0 ? plan.End : placements[0].Address;

        output.WriteLine();
        output.WriteLine($"kernel data plan ({layoutName}): per-process state at 0x{start:x6}..0x{plan.End:x6}, {plan.End - start} bytes, {placements.Count} placements");
        int nameWidth = Math.Max(16, placements.Max(p => p.Name.Length));
        int typeWidth = Math.Max(12, placements.Max(p => p.ElementType.Length));
        output.WriteLine($"  {"name".PadRight(nameWidth)}  address   {"size",6}  {"element".PadRight(typeWidth)}  {"count",5}  first   last    lines");
        foreach (Placement p in placements)
        {
            ulong first = p.Address / StructReport.CacheLine;
            ulong last = (p.End - 1) / StructReport.CacheLine;
            output.WriteLine($"  {p.Name.PadRight(nameWidth)}  0x{p.Address:x6}  {p.Size,6}  {p.ElementType.PadRight(typeWidth)}  {p.Count,5}  {first,6}  {last,6}  {last - first + 1,5}");
        }

        // The structures, in the order the state is laid out: the User Area itself, then what its tables hold
        // (the element types of the Scattered plan, which has one table per kind of state).
        var structs = new Dictionary<string, StructLayoutInfo>(StringComparer.Ordinal);
        foreach (StructLayoutInfo s in KernelLayouts.Structs)
        {
            structs[StructReport.ShortName(s.Name)] = s;
        }

        var order = new List<string>();
        if (layout == ProcessLayoutKind.UArea)
        {
            output.WriteLine();
            output.WriteLine($"each process's state is one contiguous {nameof(UArea)} of {UArea.Size} bytes ({Lines(UArea.Size)} cache lines), User Areas {UAreaLayout.Stride} bytes apart");
            order.Add(nameof(UArea));
            order.AddRange(ScatteredLayout.Plan(0, 1).Placements.Select(p => p.ElementType));
        }
        else
        {
            output.WriteLine();
            output.WriteLine($"each process's state is spread over the {placements.Count} tables listed above: {string.Join(", ", placements.Select(p => p.Name))}");
            order.AddRange(placements.Select(p => p.ElementType));
        }

        foreach (string name in order.Distinct(StringComparer.Ordinal))
        {
            if (structs.TryGetValue(name, out StructLayoutInfo s))
            {
                output.WriteLine();
                StructReport.Write(s, output);
            }
        }

        // The IKC descriptor table, as the layout placed it, and its entry with the three kinds' views of it.
        output.WriteLine();
        output.WriteLine(layout == ProcessLayoutKind.UArea
            ? "IKC descriptor table (mailboxes, portals and sync points share it): each process's 16 entries in its User Area, the node's entries after the User Areas for what moved processes left behind"
            : "IKC descriptor table (mailboxes, portals and sync points share it): one global table, every process's entries among the others' and what moved processes left behind");
        output.WriteLine($"  {"name".PadRight(nameWidth)}  address   {"size",6}  {"element".PadRight(typeWidth)}  {"count",5}  first   last    lines");
        foreach (Placement p in kernel.IkcTables)
        {
            ulong first = p.Address / StructReport.CacheLine;
            ulong last = (p.End - 1) / StructReport.CacheLine;
            output.WriteLine($"  {p.Name.PadRight(nameWidth)}  0x{p.Address:x6}  {p.Size,6}  {p.ElementType.PadRight(typeWidth)}  {p.Count,5}  {first,6}  {last,6}  {last - first + 1,5}");
        }

        foreach (string view in (string[])[nameof(IkcEntry), nameof(MailboxEntry), nameof(PortalEntry), nameof(SyncEntry)])
        {
            if (structs.TryGetValue(view, out StructLayoutInfo entry))
            {
                output.WriteLine();
                StructReport.Write(entry, output);
            }
        }

        // Anything else the per-process state might hold (a process record, when it becomes a kernel structure).
        if (structs.TryGetValue("ProcessRecord", out StructLayoutInfo record) && !order.Contains("ProcessRecord"))
        {
            output.WriteLine();
            StructReport.Write(record, output);
        }
    }

    private static int Lines(int bytes) => (bytes + StructReport.CacheLine - 1) / StructReport.CacheLine;

    private static string Size(uint bytes) => bytes % 1024 == 0 ? $"{bytes / 1024} KB" : $"{bytes} B";
}
