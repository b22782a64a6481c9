using System.Globalization;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// How many scenarios a migration property test draws and from which CsCheck seed: the test's fixed ones in CI,
/// <c>NANVIX_STRESS_ITER</c> and <c>NANVIX_STRESS_SEED</c> (a CsCheck seed, or <c>random</c> for a new one) to run more.
/// </summary>
internal static class StressEnvironment
{
    public static int Iterations(int fixedCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("NANVIX_STRESS_ITER"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : fixedCount;

    /// <summary>The seed to give CsCheck: null for a random one.</summary>
    public static string? Seed(string fixedSeed)
    {
        string seed = Environment.GetEnvironmentVariable("NANVIX_STRESS_SEED") is { Length: > 0 } s ? s : fixedSeed;
        return seed == "random" ? null : seed;
    }
}
