using Nanvix.Kernel.Images;
using Nanvix.Kernel.Migration;

namespace Nanvix.Kernel.Tests;

/// <summary>The kernel-state region of a move, as it travels: read back whole, and refused cleanly when damaged.</summary>
public sealed class ProcessSnapshotTests
{
    private static byte[] Region(out ProcessSnapshot snapshot)
    {
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "threads", "mutex");
        rig.Step(30);
        IClusterKernel kernel = rig.System.Kernel(rig.Processor.Cluster("CC0"));
        OutgoingProcess frozen = kernel.Freeze(pid, rig.Processor.Cluster("CC1").NocNodes[0], out string? refusal, out _)
            ?? throw new InvalidOperationException(refusal);
        snapshot = frozen.Snapshot;
        byte[] region = new byte[snapshot.RegionBytes];
        snapshot.Write(region);
        kernel.Thaw(frozen, 0);
        return region;
    }

    [Fact]
    public void A_region_reads_back_as_the_snapshot_it_was_written_from()
    {
        byte[] region = Region(out ProcessSnapshot snapshot);
        ProcessSnapshot read = ProcessSnapshot.Read(region);

        byte[] again = new byte[read.RegionBytes];
        read.Write(again);
        Assert.Equal(region, again);
        Assert.Equal(snapshot.Record.Pid, read.Record.Pid);
        Assert.Equal(snapshot.Pages, read.Pages);
        Assert.Equal(snapshot.LiveThreads, read.LiveThreads);
    }

    [Fact]
    public void A_truncated_or_damaged_region_is_refused_with_a_kernel_error_and_nothing_else()
    {
        byte[] region = Region(out _);
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] damaged = random.Next(2) == 0 ? region[..random.Next(region.Length)] : (byte[])region.Clone();
            if (damaged.Length == region.Length)
            {
                for (int k = 0; k < 4; k++)
                {
                    damaged[random.Next(16)] = (byte)random.Next(256);
                }
            }

            try
            {
                ProcessSnapshot.Read(damaged);
            }
            catch (KernelException)
            {
            }
        }

        Assert.Throws<KernelException>(() => ProcessSnapshot.Read(region[..10]));
        Assert.Throws<KernelException>(() => ProcessSnapshot.Read([.. region.Select((b, i) => i < 4 ? (byte)0 : b)]));
    }
}
