namespace Nanvix.Cli;

/// <summary>A program the spawn service can start by <paramref name="Name"/> (an image's <c>library</c>).</summary>
public sealed record WorkloadLibraryEntry(string Name, byte[] Elf);
