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
}
