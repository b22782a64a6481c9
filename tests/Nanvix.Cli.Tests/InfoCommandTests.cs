namespace Nanvix.Cli.Tests;

public sealed class InfoCommandTests
{
    [Fact]
    public void Info_describes_the_mppa256_by_default()
    {
        (int status, string output, _) = CliRunner.Run("info");

        Assert.Equal(0, status);
        Assert.Contains("mppa256", output);
        Assert.Contains("400 MHz", output);
        Assert.Contains("CC15", output);
        Assert.Contains("kernel-pool", output);
        Assert.Contains("2-D torus 4x4", output);
        Assert.Contains("144 B messages", output);
    }

    [Fact]
    public void Info_lists_every_cluster_with_its_cores_and_nodes()
    {
        (_, string output, _) = CliRunner.Run("info", "--machine", "mppa256");

        Assert.Matches(@"IO0\s+0\s+io\s+4\s", output);
        Assert.Matches(@"CC0\s+2\s+compute\s+16\s.*\s8\r?\n", output);
        Assert.Matches(@"IO1\s+1\s+io\s+4\s.*4-7", output);
    }

    [Fact]
    public void Info_describes_the_small_machine()
    {
        (int status, string output, _) = CliRunner.Run("info", "--machine", "small");

        Assert.Equal(0, status);
        Assert.Contains("2-D mesh", output);
        Assert.DoesNotContain("hypervisor", output);
    }

    [Fact]
    public void Unknown_machine_is_one_clear_error_and_a_nonzero_status()
    {
        (int status, string output, string error) = CliRunner.Run("info", "--machine", "vax");

        Assert.NotEqual(0, status);
        Assert.Contains("vax", error);
        Assert.Contains("mppa256", error);
        Assert.DoesNotContain("clusters", output);
    }

    [Fact]
    public void Unknown_flag_is_an_error()
    {
        (int status, _, string error) = CliRunner.Run("info", "--turbo");

        Assert.NotEqual(0, status);
        Assert.Contains("--turbo", error);
    }

    [Fact]
    public void Same_command_prints_the_same_text_twice()
    {
        Assert.Equal(CliRunner.Run("info").Output, CliRunner.Run("info").Output);
    }

    [Fact]
    public void Info_gives_the_caches_each_machine_gives_its_cores()
    {
        Assert.Contains("  IO0, CC0, CC1, CC2, CC3: I$ 4 KB, 2-way, 32 B lines, write-through; D$ 4 KB, 2-way, 32 B lines, write-through", CliRunner.Run("info", "--machine", "small").Output);
        string mppa = CliRunner.Run("info").Output;
        Assert.Contains("  IO0, IO1: I$ 32 KB, 2-way, 64 B lines, write-through;", mppa);
        Assert.Contains(", CC15: I$ 8 KB, 2-way, 64 B lines, write-through; D$ 8 KB, 2-way, 64 B lines, write-through", mppa);
    }
}
