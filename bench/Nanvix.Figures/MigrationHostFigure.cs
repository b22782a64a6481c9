using System.Diagnostics;
using Nanvix.Arch.Elf;
using Nanvix.Bench.Migration;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;

namespace Nanvix.Figures;

/// <summary>
/// Host time of a move in a long run, the whole-process view the BenchmarkDotNet job (a fresh processor per
/// iteration) cannot give: seedproc moves back and forth between CC0 and CC1 every 150 000 cycles, many times, and
/// the host time each report gives (the host's work for the move, the quanta run meanwhile left out) is summarized
/// over the last moves, once the JIT has settled. Beside it, in the same process: a copy of the same number of bytes
/// between two pinned buffers, warm (both in L2) and cold (64 MB written elsewhere first).
/// </summary>
public static class MigrationHostFigure
{
    private const ulong Spacing = 150_000;

    public static void Write(TextWriter table, int moves, ProcessLayoutKind layout)
    {
        using var processor = new Processor(Mppa256.Spec());
        var system = new Multikernel(processor, c => new PrefixedConsole(c.Name, TextWriter.Null, TextWriter.Null), layout);
        int pid = system.Spawn(processor.Cluster("CC0"), ElfImage.Parse(SeedProcRig.Image, Mppa256.UserBytes), ["seedproc", "1000"]);
        var tickets = new List<MigrationTicket>(moves);
        for (int i = 1; i <= moves; i++)
        {
            tickets.Add(system.RequestMigration(pid, processor.Cluster(i % 2 == 1 ? "CC1" : "CC0"), (ulong)i * Spacing));
        }

        var watch = Stopwatch.StartNew();
        int step = 0;
        while (tickets[^1].State is MigrationState.Pending or MigrationState.Moving && system.Step())
        {
            if (++step % 2_000_000 == 0)
            {
                Console.Error.WriteLine($"// {tickets.Count(t => t.State == MigrationState.Done)} of {moves} moves done, {watch.Elapsed.TotalSeconds:0} s");
            }
        }

        List<MigrationTicket> done = [.. tickets.Where(t => t.State == MigrationState.Done)];
        if (done.Count < moves)
        {
            throw new InvalidOperationException($"only {done.Count} of {moves} moves were done: {tickets.First(t => t.State != MigrationState.Done)}");
        }

        int last = Math.Min(1000, done.Count / 2);
        double[] host = [.. done.Skip(done.Count - last).Select(t => t.Report!.HostTime.TotalMicroseconds).Order()];
        int bytes = checked((int)done[^1].Report!.TotalBytes);
        (double warm, double cold) = Copies(bytes);
        double median = host[host.Length / 2];
        table.WriteLine($"seedproc CC0 <-> CC1, {layout}, hardware timing: {moves} moves, {bytes} bytes each; host time of the last {last} (JIT settled):");
        table.WriteLine();
        table.WriteLine("| | µs | × warm copy | × cold copy |");
        table.WriteLine("|---|---:|---:|---:|");
        table.WriteLine($"| move, median | {median:0.0} | {median / warm:0.0} | {median / cold:0.0} |");
        table.WriteLine($"| move, 10th-90th percentile | {host[host.Length / 10]:0.0}-{host[host.Length * 9 / 10]:0.0} | | |");
        table.WriteLine($"| copy of the same bytes, warm (median of 1000) | {warm:0.00} | 1 | |");
        table.WriteLine($"| copy of the same bytes, cold (median of 200) | {cold:0.00} | | 1 |");
    }

    /// <summary>Median µs of a warm and of a cold copy of <paramref name="bytes"/> bytes between two pinned arrays.</summary>
    private static (double Warm, double Cold) Copies(int bytes)
    {
        byte[] from = GC.AllocateArray<byte>(bytes, pinned: true);
        byte[] to = GC.AllocateArray<byte>(bytes, pinned: true);
        byte[] evict = GC.AllocateArray<byte>(64 * 1024 * 1024, pinned: true);
        new Random(1).NextBytes(from);
        double[] warm = new double[1000];
        for (int i = 0; i < warm.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            from.AsSpan().CopyTo(to);
            warm[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        double[] cold = new double[200];
        for (int i = 0; i < cold.Length; i++)
        {
            evict.AsSpan().Fill((byte)i);
            long start = Stopwatch.GetTimestamp();
            from.AsSpan().CopyTo(to);
            cold[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(warm);
        Array.Sort(cold);
        return (warm[warm.Length / 2], cold[cold.Length / 2]);
    }
}
