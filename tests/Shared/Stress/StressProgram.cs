namespace Nanvix.Tests.Shared.Stress;

/// <summary>One program of a sample: the compute cluster it starts on and its arguments (the first is the program's name in user/bin).</summary>
internal sealed record StressProgram(string Cluster, string[] Arguments)
{
    public string Name => Arguments[0];

    public override string ToString() => $"{Cluster}: {string.Join(' ', Arguments)}";
}
