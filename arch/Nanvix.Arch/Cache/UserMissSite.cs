namespace Nanvix.Arch.Cache;

/// <summary>
/// Where user misses were made: by whom (<see cref="UserMissLog.Owner"/>), at which pc, and in which cache
/// (<paramref name="Instruction"/>: the I$, on the instruction's fetch; else the D$, on its load, store or atomic).
/// </summary>
public readonly record struct UserMissSite(int Owner, uint Pc, bool Instruction);
