using Nanvix.Hal.Machine;

namespace Nanvix.Cli;

/// <summary>
/// What one run starts: programs, each on its compute cluster, and the library the spawn service can start by name. A
/// single program (or the built-in demo) is a one-program workload, so there is one run path and one report.
/// </summary>
/// <param name="Programs">The programs, in the order they start (they get pids 1, 2, ...).</param>
/// <param name="Library">More programs the running ones can start through the spawn service, by name.</param>
/// <param name="IsImage">Whether it came from an image file: output lines are then prefixed with their cluster.</param>
public sealed record Workload(IReadOnlyList<WorkloadProgram> Programs, IReadOnlyList<WorkloadLibraryEntry> Library, bool IsImage)
{
    /// <summary>The one program of <c>nanvix run [PROGRAM]</c> (the built-in demo without one), on <c>--cluster</c>.</summary>
    /// <exception cref="HostInputException">The program file cannot be read.</exception>
    public static Workload OfProgram(ProcessorSpec spec, RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ProgramPath is not { } path)
        {
            return new Workload([new WorkloadProgram(settings.Cluster, DemoProgram.Name, DemoProgram.Name, DemoProgram.Image(), settings.Arguments) { Argv0 = settings.Argv0 }], [], IsImage: false);
        }

        // A flag this command does not know lands here as the program name: say so rather than "no such file".
        if (path.StartsWith('-') && !File.Exists(path))
        {
            throw new HostInputException($"run: unknown option '{path}' (arguments for the program that start with - go after --)");
        }

        return new Workload([new WorkloadProgram(settings.Cluster, path, path, RunCommand.ReadProgram(spec, path), settings.Arguments) { Argv0 = settings.Argv0 }], [], IsImage: false);
    }

    /// <summary>The programs and library of the image file <paramref name="imagePath"/>; their paths are relative to it.</summary>
    /// <exception cref="HostInputException">The image, or a file it names, cannot be read or says the wrong thing.</exception>
    public static Workload OfImage(ProcessorSpec spec, string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        ImageFile image;
        try
        {
            image = ImageFileReader.Parse(HostFile.Read(imagePath, HostFile.MaxImageFileBytes, "no image is that big"));
        }
        catch (FormatException e)
        {
            throw new HostInputException($"image '{imagePath}': {e.Message}");
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(imagePath)) ?? ".";
        string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(directory, path);
        var library = new List<WorkloadLibraryEntry>();
        foreach (string entry in image.Library)
        {
            string path = Resolve(entry);
            library.Add(new WorkloadLibraryEntry(Path.GetFileNameWithoutExtension(path), Read(spec, path, $"image '{imagePath}', library '{entry}'")));
        }

        var programs = new List<WorkloadProgram>();
        for (int i = 0; i < image.Programs.Count; i++)
        {
            ImageProgram entry = image.Programs[i];
            string where = $"image '{imagePath}', program {i + 1} ({entry.Program})";
            byte[] bytes = Read(spec, Resolve(entry.Program), where);
            programs.Add(new WorkloadProgram(entry.Cluster, entry.Program, where, bytes, entry.Args) { SpawnName = Path.GetFileNameWithoutExtension(Resolve(entry.Program)) });
        }

        return new Workload(programs, library, IsImage: true);
    }

    private static byte[] Read(ProcessorSpec spec, string path, string where)
    {
        try
        {
            return RunCommand.ReadProgram(spec, path);
        }
        catch (HostInputException e)
        {
            throw new HostInputException($"{where}: {e.Message}");
        }
    }
}
