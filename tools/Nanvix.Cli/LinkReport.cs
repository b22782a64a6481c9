namespace Nanvix.Cli;

/// <summary>One directed link of the data network (as <c>nanvix info</c> names it) and what crossed it.</summary>
public sealed record LinkReport(string Link, long Transfers, long WireBytes);
