using System.Text.Json;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Cli;

/// <summary>
/// <c>nanvix run --image IMAGE.json</c>: starts every program of the image on its cluster, runs the whole processor
/// until all have ended, prefixes each output line with its cluster, and exits with 0 when every program did, else
/// with the first non-zero status.
/// </summary>
public static class ImageCommand
{
    public static int Execute(string imagePath, RunSettings settings, TextWriter output, TextWriter error)
    {
        ImageFile image;
        try
        {
            image = ImageFileReader.Parse(HostFile.Read(imagePath, HostFile.MaxImageFileBytes, "no image is that big"));
        }
        catch (FormatException e)
        {
            error.WriteLine($"nanvix: image '{imagePath}': {e.Message}");
            return RunCommand.BadInput;
        }

        ProcessorSpec spec = RunCommand.Machine();
        using var processor = new Processor(spec, settings.Timing);
        var consoles = new List<PrefixedConsole>();
        var system = new Multikernel(
            processor,
            cluster =>
            {
                var console = new PrefixedConsole(cluster.Name, output, error);
                consoles.Add(console);
                return console;
            },
            settings.Layout,
            settings.Cache);
        string directory = Path.GetDirectoryName(Path.GetFullPath(imagePath)) ?? ".";
        foreach (string library in image.Library)
        {
            string path = Path.IsPathRooted(library) ? library : Path.Combine(directory, library);
            try
            {
                system.Spawner?.Register(Path.GetFileNameWithoutExtension(path), RunCommand.ReadProgram(spec, path));
            }
            catch (HostInputException e)
            {
                error.WriteLine($"nanvix: image '{imagePath}', library '{library}': {e.Message}");
                return RunCommand.BadInput;
            }
        }

        var pids = new List<int>();
        for (int i = 0; i < image.Programs.Count; i++)
        {
            ImageProgram entry = image.Programs[i];
            string where = $"nanvix: image '{imagePath}', program {i + 1}";
            ICluster cluster;
            try
            {
                cluster = processor.Cluster(entry.Cluster);
                if (cluster.Kind != ClusterKind.Compute)
                {
                    throw new ArgumentException($"{cluster.Name} is an I/O cluster; programs run on compute clusters");
                }
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"{where}: {e.Message}");
                return RunCommand.BadInput;
            }

            string path = Path.IsPathRooted(entry.Program) ? entry.Program : Path.Combine(directory, entry.Program);
            try
            {
                byte[] bytes = RunCommand.ReadProgram(spec, path);
                ElfImage elf = ElfImage.Parse(bytes, cluster.Memory.Map[MemoryRegionNames.User].Size);
                system.Spawner?.Register(Path.GetFileNameWithoutExtension(path), bytes);
                pids.Add(system.Spawn(cluster, elf, [entry.Program, .. entry.Args]));
            }
            catch (Exception e) when (e is HostInputException or ElfFormatException or KernelException)
            {
                error.WriteLine($"{where} ({entry.Program}): {e.Message}");
                return RunCommand.BadInput;
            }
        }

        // --migrate moves the first program, or the process its PID names (the programs get 1, 2, ... in image order).
        RunCommand.RunWithMigrations(system, processor, pids[0], settings, error);
        IReadOnlyList<ClusterExit> exits = system.Exits;
        consoles.ForEach(c => c.Flush());
        int status = 0;
        foreach (ClusterExit exit in exits)
        {
            if (exit.Exit.Diagnostic is not null)
            {
                error.WriteLine($"nanvix: {exit.Exit.Diagnostic}");
            }

            if (settings.Verbose)
            {
                error.WriteLine($"nanvix: {exit.Cluster}: process {exit.Exit.Pid} exited with status {exit.Exit.Status}");
            }

            if (status == 0 && exit.Exit.Status != 0)
            {
                status = exit.Exit.Status;
            }
        }

        if (settings.Verbose)
        {
            foreach (MigrationReport migration in system.Migrations)
            {
                error.WriteLine($"nanvix: migration: {migration}");
            }
        }

        return status;
    }
}
