namespace Nanvix.Cli;

/// <summary>
/// An image file, in the spirit of Nanvix's images: the programs to start together and the clusters they start on.
/// Program paths are relative to the image file.
/// </summary>
public sealed record ImageFile(string? Description, IReadOnlyList<ImageProgram>? Programs);
