using System.Text.RegularExpressions;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The shape of the house (docs/architecture.md): the kernel's folders depend on each other one way only, from the
/// system and the hub down through the call entries and the subsystems to the tables and memory management; and no
/// source file outside the tests is longer than a reader can hold, except the interpreter's loops.
/// </summary>
public sealed partial class StructureTests
{
    /// <summary>
    /// Each box of the kernel and its tier: a box may use the boxes of lower tiers only. The root folder holds three
    /// boxes: the base types everyone uses, the hub (a cluster's kernel) and the system (the multikernel).
    /// </summary>
    private static readonly Dictionary<string, int> Tiers = new()
    {
        ["base"] = 0,
        ["Mm"] = 1,
        ["Console"] = 1,
        ["Layout"] = 2,
        ["Sched"] = 3,
        ["Threads"] = 4,
        ["Sync"] = 5,
        ["Proc"] = 5,
        ["Ikc"] = 6,
        ["Images"] = 7,
        ["Calls"] = 8,
        ["hub"] = 9,
        ["Services"] = 10,
        ["Migration"] = 10,
        ["system"] = 11,
    };

    /// <summary>Files of the kernel's root folder and their box (every other root file is a base type).</summary>
    private static readonly Dictionary<string, string> RootBoxes = new()
    {
        ["ClusterKernel{TLayout}.cs"] = "hub",
        ["ClusterKernel.cs"] = "hub",
        ["IClusterKernel.cs"] = "hub",
        ["StuckThreads.cs"] = "hub",
        ["Multikernel.cs"] = "system",
    };

    /// <summary>The interpreter's loops, the only sources allowed to be long.</summary>
    private static readonly string[] LongAllowed = ["arch/Nanvix.Arch/Core/Hart.Step.cs", "arch/Nanvix.Arch/Core/Hart.Blocks.cs", "arch/Nanvix.Arch/Core/Hart.cs"];

    private static string KernelFolder => Path.Combine(RepositoryFiles.Root, "kernel", "Nanvix.Kernel");

    [Fact]
    public void Every_kernel_source_belongs_to_a_box_of_the_map()
    {
        foreach (string file in KernelSources())
        {
            Assert.True(Tiers.ContainsKey(BoxOf(file)), $"{file}: folder '{BoxOf(file)}' is not in the map of docs/architecture.md");
        }
    }

    [Fact]
    public void The_kernel_folders_depend_on_each_other_one_way()
    {
        Dictionary<string, string> boxOfType = [];
        foreach (string file in KernelSources())
        {
            foreach (Match declared in Declaration().Matches(Code(file)))
            {
                boxOfType.TryAdd(declared.Groups[1].Value, BoxOf(file));
            }
        }

        var upward = new List<string>();
        foreach (string file in KernelSources())
        {
            string box = BoxOf(file);
            foreach (string used in Identifier().Matches(Code(file)).Select(m => m.Value).Distinct())
            {
                if (boxOfType.TryGetValue(used, out string? other) && other != box && Tiers[other] >= Tiers[box])
                {
                    upward.Add($"{Relative(file)} ({box}) uses {used} ({other})");
                }
            }
        }

        Assert.True(upward.Count == 0, "uses against the one-way order:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void No_source_outside_the_tests_is_over_500_lines_but_the_interpreter_loops()
    {
        string[] long_ = [.. new[] { "arch", "hal", "kernel", "tools", "bench" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 500 && !LongAllowed.Contains(f.File))
            .Select(f => $"{f.File}: {f.Lines} lines")];

        Assert.True(long_.Length == 0, string.Join("\n", long_));
    }

    private static IEnumerable<string> KernelSources() =>
        Directory.EnumerateFiles(KernelFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Relative(f).StartsWith("obj/", StringComparison.Ordinal) && !Relative(f).StartsWith("bin/", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(KernelFolder, file).Replace('\\', '/');

    private static string BoxOf(string file)
    {
        string relative = Relative(file);
        string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
        return folder.Length > 0 ? folder : RootBoxes.GetValueOrDefault(relative, "base");
    }

    /// <summary>The file's code without comments and string literals, which may name anything.</summary>
    private static string Code(string file) => Noise().Replace(File.ReadAllText(file), " ");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?\$?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex Noise();

    /// <summary>A type declared at the top of a file (nested types are their file's own business).</summary>
    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|readonly|ref|partial|unsafe)\s+)*(?:class|struct|interface|enum|record(?:\s+struct)?)\s+([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
