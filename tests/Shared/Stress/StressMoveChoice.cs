namespace Nanvix.Tests.Shared.Stress;

/// <summary>Where a planned move aims.</summary>
internal enum StressAim
{
    /// <summary>The cluster the choice names.</summary>
    Any,

    /// <summary>The cluster the program started on.</summary>
    Home,

    /// <summary>The cluster another program left most recently (as planned).</summary>
    JustLeft,

    /// <summary>The cluster another program is on (as planned): refused or not, nothing may break.</summary>
    Occupied,
}

/// <summary>
/// The random raw material of one move, before <see cref="StressScenario.Plan"/> turns it into a <see cref="StressMove"/>:
/// <paramref name="When"/> in [0, 1] is a share of the unmoved run (or, when <paramref name="Soon"/>, of 2 % of it after
/// the move before), <paramref name="Program"/> picks among the movable programs, <paramref name="Cluster"/> is used by
/// <see cref="StressAim.Any"/>, a negative <paramref name="LostRegion"/> loses nothing, and <paramref name="Mode"/> says how
/// the move copies the process.
/// </summary>
internal readonly record struct StressMoveChoice(double When, bool Soon, int Program, StressAim Aim, int Cluster, int LostRegion, Nanvix.Kernel.Migration.MigrationMode Mode = default)
{
    public static StressMoveChoice Random(Random random) => new(
        random.NextDouble(), random.Next(4) == 0, random.Next(16), (StressAim)random.Next(4), random.Next(16), random.Next(-8, 6), (Nanvix.Kernel.Migration.MigrationMode)random.Next(3));
}
