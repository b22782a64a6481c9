using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Nanvix.Kernel.Calls;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The kernel-call table is what the ABI decoder routes by: every call number the kernel defines is in it once, and
/// docs/abi.md, which programmers read, lists the same calls with the same names and as many arguments.
/// </summary>
public sealed partial class KernelCallTableTests
{
    [Fact]
    public void Every_call_number_is_in_the_table_once_and_nothing_else_is()
    {
        uint[] numbers = [.. typeof(KernelCallNumber).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(uint))
            .Select(f => (uint)f.GetRawConstantValue()!)];

        Assert.Equal(numbers.Order(), KernelCallTable.Entries.Select(e => e.Number).Order());
        Assert.Equal(KernelCallTable.Entries.Length, KernelCallTable.Entries.Select(e => e.Number).Distinct().Count());
        Assert.All(KernelCallTable.Entries, e => Assert.NotEqual(CallFamily.None, e.Family));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(62u)]
    [InlineData(1199u)]
    [InlineData(1202u)]
    [InlineData(uint.MaxValue)]
    public void A_number_that_is_no_call_is_not_found_and_goes_to_the_master(uint number)
    {
        Assert.False(KernelCallTable.TryGet(number, out KernelCallEntry entry));
        Assert.Equal(CallFamily.None, entry.Family);
        Assert.True(KernelCallTable.IsServedByMaster(number));
        Assert.Equal("call " + ((int)number).ToString(CultureInfo.InvariantCulture), KernelCallTable.NameOf((int)number));
    }

    [Fact]
    public void Only_ids_the_clock_and_yields_are_served_on_the_calling_core()
    {
        string[] local = [.. KernelCallTable.Entries.Where(e => !e.ServedByMaster).Select(e => e.Name).Order()];

        Assert.Equal(["clock_gettime64", "getpid", "gettid", "node_self", "sched_yield", "thread_self", "thread_yield"], local);
    }

    [Fact]
    public void The_table_and_docs_abi_md_list_the_same_calls_with_as_many_arguments()
    {
        Dictionary<uint, (string Name, int Arguments)> documented = DocumentedCalls();

        Assert.Equal(KernelCallTable.Entries.Select(e => e.Number).Order(), documented.Keys.Order());
        foreach (KernelCallEntry entry in KernelCallTable.Entries)
        {
            (string name, int arguments) = documented[entry.Number];
            Assert.Equal((entry.Number, name), (entry.Number, entry.Name));
            Assert.True(arguments == entry.ArgumentCount, $"{entry.Name}: docs/abi.md gives {arguments} arguments, the table {entry.ArgumentCount}");
        }
    }

    /// <summary>The rows `| number | `name` | arguments | …` of docs/abi.md's call tables, with the argument count.</summary>
    private static Dictionary<uint, (string, int)> DocumentedCalls()
    {
        var calls = new Dictionary<uint, (string, int)>();
        foreach (string line in File.ReadLines(Path.Combine(RepositoryFiles.Root, "docs", "abi.md")))
        {
            Match row = CallRow().Match(line);
            if (row.Success)
            {
                calls.Add(uint.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), (row.Groups[2].Value, ArgumentsOf(row.Groups[3].Value.Trim(), calls)));
            }
        }

        return calls;
    }

    /// <summary>
    /// How many arguments a cell names: "—" none; "as `call`" as many as that call; otherwise the comma-separated
    /// items outside parentheses, where an item that starts with "or" is an alternative of the one before.
    /// </summary>
    private static int ArgumentsOf(string cell, Dictionary<uint, (string Name, int Arguments)> before)
    {
        if (cell == "—")
        {
            return 0;
        }

        if (AsAnother().Match(cell) is { Success: true } same)
        {
            return before.Values.Single(c => c.Name == same.Groups[1].Value).Arguments;
        }

        int count = 1;
        int depth = 0;
        for (int i = 0; i < cell.Length; i++)
        {
            depth += cell[i] == '(' ? 1 : cell[i] == ')' ? -1 : 0;
            if (cell[i] == ',' && depth == 0 && !cell[(i + 1)..].TrimStart().StartsWith("or ", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    [GeneratedRegex(@"^\| (\d+) \| `([a-z_0-9]+)` \| ([^|]*) \|")]
    private static partial Regex CallRow();

    [GeneratedRegex(@"^as `([a-z_0-9]+)`$")]
    private static partial Regex AsAnother();
}
