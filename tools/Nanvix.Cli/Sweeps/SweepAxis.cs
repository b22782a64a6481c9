namespace Nanvix.Cli.Sweeps;

/// <summary>One axis of a sweep: an option and the values it takes, in the order the sweep file lists them.</summary>
public sealed record SweepAxis(string Option, IReadOnlyList<SweepValue> Values);
