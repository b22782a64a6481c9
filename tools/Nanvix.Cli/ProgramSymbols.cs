using Nanvix.Arch.Elf;
using Nanvix.Kernel.Services;

namespace Nanvix.Cli;

/// <summary>
/// The program every process of a run ran, with the functions of its ELF symbol table: what names the pc of a user
/// miss (<c>--annotate</c>). Kept by pid over the whole run, not by cluster, so that a process that moved is named by its
/// program on every cluster it ran on. A pc in no function of the table (or of a program without one) is
/// <see cref="Unknown"/>; so is the program of a pid the run did not start (none today).
/// </summary>
internal sealed class ProgramSymbols
{
    /// <summary>The name of what no symbol names.</summary>
    public const string Unknown = "(unknown)";

    private readonly Dictionary<int, (string Program, ElfSymbols Symbols)> _programs = [];

    /// <summary>
    /// The programs of <paramref name="started"/> (the workload's, by the pid each got) and those the spawn service
    /// started (named as registered: the workload's library, or a program of the image by its <c>SpawnName</c>).
    /// </summary>
    public ProgramSymbols(Workload workload, IEnumerable<(int Pid, WorkloadProgram Program)> started, SpawnService? spawner)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(started);
        var read = new Dictionary<byte[], ElfSymbols>(ReferenceEqualityComparer.Instance);
        ElfSymbols Of(byte[] elf) => read.TryGetValue(elf, out ElfSymbols? symbols) ? symbols : read[elf] = ElfSymbols.Read(elf);

        foreach ((int pid, WorkloadProgram program) in started)
        {
            _programs[pid] = (program.Name, Of(program.Elf));
        }

        if (spawner is null)
        {
            return;
        }

        var registered = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (WorkloadProgram program in workload.Programs)
        {
            if (program.SpawnName is { } name)
            {
                registered[name] = program.Elf;
            }
        }

        foreach (WorkloadLibraryEntry entry in workload.Library)
        {
            registered[entry.Name] = entry.Elf;
        }

        foreach ((int pid, string name) in spawner.Started)
        {
            _programs[pid] = (name, registered.TryGetValue(name, out byte[]? elf) ? Of(elf) : ElfSymbols.None);
        }
    }

    /// <summary>The program process <paramref name="pid"/> ran and the function of it that <paramref name="pc"/> lies in.</summary>
    public (string Program, string Function) Name(int pid, uint pc) =>
        _programs.TryGetValue(pid, out (string Program, ElfSymbols Symbols) p) ? (p.Program, p.Symbols.FunctionAt(pc) ?? Unknown) : (Unknown, Unknown);
}
