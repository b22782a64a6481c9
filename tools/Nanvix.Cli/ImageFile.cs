namespace Nanvix.Cli;

/// <summary>
/// An image file, in the spirit of Nanvix's images: the programs to start together and the clusters they start on.
/// Program paths are relative to the image file. Every program of the image, and every file of
/// <paramref name="Library"/>, is also registered with the spawn service by its file name without ".elf", so
/// running programs can start more of them. <see cref="ImageFileReader"/> reads one, strictly.
/// </summary>
public sealed record ImageFile(string? Description, IReadOnlyList<ImageProgram> Programs, IReadOnlyList<string> Library);
