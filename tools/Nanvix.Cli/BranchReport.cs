namespace Nanvix.Cli;

/// <summary>
/// The conditional branches (BEQ, BNE, BLT, BGE, BLTU, BGEU) a core retired in user code, taken and not taken; a branch
/// that trapped is not counted. The same in every engine, with the cache model on or off.
/// </summary>
public sealed record BranchReport(ulong UserTaken, ulong UserNotTaken)
{
    public static BranchReport From(Hal.Processor.ICore core) => new(core.UserBranchesTaken, core.UserBranchesNotTaken);
}
