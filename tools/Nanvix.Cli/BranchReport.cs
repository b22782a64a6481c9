namespace Nanvix.Cli;

/// <summary>
/// The conditional branches (BEQ, BNE, BLT, BGE, BLTU, BGEU) a core retired in user code, taken and not taken; a branch
/// that trapped is not counted. The same in every engine, with the cache model on or off. <paramref name="Kernel"/>:
/// the conditional branches of the kernel paths the core ran, from the kernel text map (docs/layouts.md; static
/// counts, not split into taken and not taken).
/// </summary>
public sealed record BranchReport(ulong UserTaken, ulong UserNotTaken, ulong Kernel)
{
    public static BranchReport From(Hal.Processor.ICore core, Nanvix.Kernel.Mm.KernelMemory kernel) =>
        new(core.UserBranchesTaken, core.UserBranchesNotTaken, kernel.KernelBranches(core.Id));
}
