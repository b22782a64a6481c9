using Nanvix.Arch.Cache;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Proc;

namespace Nanvix.Cli;

/// <summary><c>nanvix run PROGRAM.elf [args]</c>: runs one program on CC0 of the MPPA-256 and exits with its status.</summary>
public static class RunCommand
{
    /// <summary>Exit status for bad host input (a missing file, a malformed executable).</summary>
    public const int BadInput = 2;

    public static int Execute(string programPath, IReadOnlyList<string> programArguments, bool cache, bool verbose, TextWriter output, TextWriter error, Stream? input)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(programPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"nanvix: cannot read '{programPath}': {e.Message}");
            return BadInput;
        }

        ProcessorSpec spec = Mppa256.Spec();
        using var processor = new Processor(spec);
        ICluster cluster = processor.Cluster("CC0");
        ElfImage image;
        try
        {
            image = ElfImage.Parse(file, cluster.Memory.Map[MemoryRegionNames.User].Size);
        }
        catch (ElfFormatException e)
        {
            error.WriteLine($"nanvix: {programPath}: {e.Message}");
            return BadInput;
        }

        IClusterKernel kernel = ClusterKernel.Create(cluster, spec.FrequencyHz, new TextWriterConsole(output, error, input));
        if (cache)
        {
            kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }
        try
        {
            kernel.Spawn(image, [programPath, .. programArguments]);
        }
        catch (KernelException e)
        {
            error.WriteLine($"nanvix: {programPath}: {e.Message}");
            return BadInput;
        }

        IReadOnlyList<ProcessExit> exits = kernel.RunToCompletion();
        ProcessExit exit = exits[^1];
        if (exit.Diagnostic is not null)
        {
            error.WriteLine($"nanvix: {exit.Diagnostic}");
        }

        if (verbose)
        {
            KernelStatistics stats = kernel.Statistics;
            error.WriteLine($"nanvix: {cluster.Name}: status {exit.Status}, {stats.Instructions} instructions, {stats.Cycles} cycles ({stats.Cycles * 1e6 / spec.FrequencyHz:0.0} us at {spec.FrequencyHz / 1e6:0} MHz), {stats.KernelCalls} kernel calls");
            for (int c = 0; c < cluster.Cores.Count; c++)
            {
                Arch.Core.Hart core = kernel.Core(c);
                if (core.Retired + core.Cycles > 0 && core.InstructionCache is { } icache && core.DataCache is { } dcache)
                {
                    error.WriteLine($"nanvix: {cluster.Name} core {c}: I$ {icache.User}");
                    error.WriteLine($"nanvix: {cluster.Name} core {c}: D$ user {dcache.User}; kernel {dcache.Kernel}");
                }
            }
        }

        return exit.Status;
    }
}
