namespace Nanvix.Cli.Sweeps;

/// <summary>
/// The output folder of a sweep (<c>--out</c>): plan.json (the expansion), runs/ID.json (one result per run id) and the
/// merged table, sweep.csv and sweep.json. Every file is written whole to a temporary name and then renamed, so that a
/// run that is stopped, or two tasks that write the same file, never leave half a file for a later merge.
/// </summary>
public sealed class SweepFolder(string path)
{
    public const string PlanName = "plan.json";

    public const string TableCsvName = "sweep.csv";

    public const string TableJsonName = "sweep.json";

    public string Path { get; } = path;

    public string Plan => System.IO.Path.Combine(Path, PlanName);

    public string Runs => System.IO.Path.Combine(Path, "runs");

    public string TableCsv => System.IO.Path.Combine(Path, TableCsvName);

    public string TableJson => System.IO.Path.Combine(Path, TableJsonName);

    /// <summary>The result file of the run with id <paramref name="id"/>.</summary>
    public string Result(string id) => System.IO.Path.Combine(Runs, id + ".json");

    /// <summary>Creates the folder and its runs/ folder.</summary>
    /// <exception cref="HostInputException">They cannot be created.</exception>
    public void Create()
    {
        try
        {
            Directory.CreateDirectory(Runs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new HostInputException($"cannot create the sweep folder '{Path}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="file"/>: whole to a temporary file beside it, then renamed over it.</summary>
    /// <exception cref="HostInputException">The file cannot be written.</exception>
    public static void Write(string file, byte[] bytes, string what)
    {
        string temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.File.WriteAllBytes(temporary, bytes);
            System.IO.File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            try
            {
                System.IO.File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // The reason reported is the first one.
            }

            throw new HostInputException($"cannot write {what} '{file}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>The bytes of <paramref name="file"/>, or null when there is no such file.</summary>
    /// <exception cref="HostInputException">It exists but cannot be read.</exception>
    public static byte[]? ReadIfThere(string file, string what)
    {
        if (!System.IO.File.Exists(file))
        {
            return null;
        }

        return HostFile.Read(file, 256 * 1024 * 1024, $"no {what} is that big");
    }
}
