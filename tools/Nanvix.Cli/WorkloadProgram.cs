namespace Nanvix.Cli;

/// <summary>One program of a <see cref="Workload"/>.</summary>
/// <param name="Cluster">The compute cluster it starts on, as given (any case).</param>
/// <param name="Name">Its argv[0] and its name in reports: the path as given, or "demo".</param>
/// <param name="Where">How messages about it begin: the path, or the image and the program's place in it.</param>
/// <param name="Elf">The bytes of its ELF file.</param>
/// <param name="Arguments">argv[1..].</param>
public sealed record WorkloadProgram(string Cluster, string Name, string Where, byte[] Elf, IReadOnlyList<string> Arguments)
{
    /// <summary>The name the spawn service knows it by (the file name without ".elf"); null when it is not registered.</summary>
    public string? SpawnName { get; init; }

    /// <summary>The argv[0] the program is started with when it is not <see cref="Name"/> (<c>--argv0</c>); null for <see cref="Name"/>.</summary>
    public string? Argv0 { get; init; }

    /// <summary>argv[0] as the program sees it.</summary>
    public string StartName => Argv0 ?? Name;
}
