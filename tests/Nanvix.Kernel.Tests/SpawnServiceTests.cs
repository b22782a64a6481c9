using Nanvix.Hal.Noc;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>The spawn service on IO0, driven by user/programs/spawner.c.</summary>
public sealed class SpawnServiceTests
{
    [Fact]
    public void A_program_starts_another_on_a_remote_cluster_with_a_unique_pid()
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC0", ["spawner", "13", "echo", "remote"]));

        Assert.Equal(2, exits.Count);
        Assert.Contains("[CC0] spawner: started echo on node 13 as pid 2", output);
        Assert.Contains("[CC5] argv[1]=remote (6 chars)", output);
        Assert.Equal("CC5", exits.Single(e => e.Exit.Pid == 2).Cluster);
    }

    [Theory]
    [InlineData("13", "nothing-like-this", "ENOENT")]
    [InlineData("0", "hello", "EINVAL")]
    public void A_bad_spawn_request_is_a_clear_error(string node, string program, string expected)
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC0", ["spawner", node, program]));

        Assert.Single(exits);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Spawning_a_program_whose_segment_lies_over_the_stacks_answers_ENOEXEC()
    {
        // One read-only page at the main stack's guard page: a bad executable, not a lack of memory.
        byte[] elf = new Nanvix.Tests.Shared.ElfBuilder().Words(0x7FFFD000, [0x00000013], Nanvix.Tests.Shared.ElfBuilder.R | Nanvix.Tests.Shared.ElfBuilder.X).Build();
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, _ => { }, [("stackclash", elf)], ("CC0", ["spawner", "13", "stackclash"]));

        Assert.Single(exits);
        Assert.Contains("spawner: stackclash on node 13: ENOEXEC", output);
    }
}
