namespace Nanvix.Cli;

/// <summary>One program of an image: the compute cluster it starts on, its ELF file and its arguments.</summary>
public sealed record ImageProgram(string Cluster, string Program, IReadOnlyList<string> Args);
