namespace Nanvix.Cli.Sweeps;

/// <summary>
/// A sweep file: the options every run shares (<see cref="Base"/>), the axes whose values are combined into runs (the
/// first axis varies slowest, the last fastest, as nested loops in the order the file lists them), and the metrics to
/// plot.
/// </summary>
/// <param name="Path">The file, as given on the command line.</param>
/// <param name="Folder">Its folder: programs and images are relative to it.</param>
public sealed record SweepFile(string Path, string Folder, IReadOnlyList<SweepValue> Base, IReadOnlyList<SweepAxis> Axes, IReadOnlyList<string> Plot);
