using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData("null", 139, "load page fault", "address=0x00000000")]
    [InlineData("text", 139, "store page fault", "address=0x")]
    [InlineData("illegal", 132, "illegal instruction", "instruction=0x00000000")]
    [InlineData("ebreak", 133, "breakpoint", "pc=0x")]
    [InlineData("stack", 139, "stack overflow into the guard page of thread 0", "address=0x7fffd")]
    [InlineData("misaligned", 135, "misaligned load", "address=0x")]
    public void A_faulting_program_dies_alone_with_a_diagnostic_and_a_signal_status(string how, int status, string what, string where)
    {
        using var rig = new KernelRig();

        ProcessExit exit = rig.Run("fault", how);

        Assert.Equal(status, exit.Status);
        Assert.True(exit.WasKilled);
        Assert.Contains($"CC0: process {exit.Pid} thread 0 killed: {what}", exit.Diagnostic);
        Assert.Contains(where, exit.Diagnostic);
        Assert.Contains("pc=0x", exit.Diagnostic);
        Assert.Equal($"fault: {how}\n", rig.Output);
    }

    [Fact]
    public void A_fault_in_one_process_leaves_the_others_running()
    {
        using var rig = new KernelRig();
        int faulty = rig.Spawn("fault", "null");
        int healthy = rig.Spawn("cpu", "1");

        IReadOnlyList<ProcessExit> exits = rig.Kernel.RunToCompletion();

        Assert.Equal(139, exits.Single(e => e.Pid == faulty).Status);
        Assert.Equal(0, exits.Single(e => e.Pid == healthy).Status);
        Assert.Contains("round 0: sort", rig.Output);
    }
}
