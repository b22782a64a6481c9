using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>What one core of the cluster did: its counts and user branches always, the caches only when the cache model was on.</summary>
public sealed record CoreReport(
    int Core,
    ulong Instructions,
    ulong Cycles,
    BranchReport Branches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CacheReport? Icache,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CacheReport? Dcache);
