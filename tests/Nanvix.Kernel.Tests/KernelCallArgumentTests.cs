using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// Every argument the kernel-call table says names something (a stream, a sync object, a descriptor, a node, a port, a
/// text in user memory, a thread) is checked by its family's entry: a call given a value that names nothing fails
/// with the errno of that kind, docs/abi.md lists that errno for the call, and the process goes on. The calls are made
/// by user/programs/calls.c on CC0 of a whole machine (so the services on IO0 answer), after it made one object of
/// each kind, so that the arguments not under test name something real.
/// </summary>
public sealed partial class KernelCallArgumentTests
{
    /// <summary>What the program makes first, and what each call returns: descriptor and object numbers the other calls use.</summary>
    private static readonly (string Call, int Result)[] Setup =
    [
        ("1010", 0),        // mutex_create: mutex 0
        ("1020,1", 0),      // semaphore_create: semaphore 0
        ("1030", 0),        // condition_create: condition 0
        ("1100,5", 0),      // mailbox_create on port 5: input 0
        ("1101,0,6", 1),    // mailbox_open (node 0, port 6): output 1
        ("1130,6", 0),      // portal_create on port 6: input 0
        ("1132,1,6", 1),    // portal_open (node 1, port 6): output 1
    ];

    /// <summary>
    /// The calls whose user pointer is checked when they are made. The others' are checked when the kernel copies
    /// through them: a message's buffer when it arrives or leaves, a join's when the thread exits, a lookup's when the
    /// service answers, a new thread's entry when it runs (a fault there kills the process, as docs/abi.md says).
    /// </summary>
    private static readonly uint[] PointersCheckedAtOnce =
        [KernelCallNumber.Read, KernelCallNumber.Write, KernelCallNumber.ClockGettime64, KernelCallNumber.SyncCreate, KernelCallNumber.SyncOpen];

    private static readonly Lazy<string> Output = new(RunAll);

    public static TheoryData<string, string, int> CheckedArguments()
    {
        var data = new TheoryData<string, string, int>();
        foreach ((KernelCallEntry entry, int position, uint value, int errno) in HostileCalls())
        {
            data.Add(entry.Name, Line(entry, position, value), errno);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CheckedArguments))]
    public void A_value_that_names_nothing_fails_the_call_with_its_documented_errno(string call, string line, int errno)
    {
        Assert.Contains($"[CC0] {line} = {-errno}\n", Output.Value, StringComparison.Ordinal);
        Assert.True(
            DocumentedErrors().TryGetValue(call, out string? errors) && errors.Contains(ErrnoName(errno), StringComparison.Ordinal),
            $"docs/abi.md does not list {ErrnoName(errno)} among the errors of {call}");
    }

    [Fact]
    public void The_objects_the_calls_name_are_made_and_the_process_survives_every_bad_call()
    {
        foreach ((string call, int result) in Setup)
        {
            Assert.Contains($"[CC0] {call} = {result}\n", Output.Value, StringComparison.Ordinal);
        }

        Assert.Contains("[CC0] calls: done\n", Output.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("killed", Output.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kind_of_checked_argument_is_tried()
    {
        ArgumentKind[] tried = [.. HostileCalls().Select(c => Kind(c.Entry, c.Position)).Distinct().Order()];

        Assert.Equal(
            [ArgumentKind.Stream, ArgumentKind.Pointer, ArgumentKind.Thread, ArgumentKind.SyncObject, ArgumentKind.Descriptor, ArgumentKind.Node, ArgumentKind.Port, ArgumentKind.Text],
            tried);
    }

    private static string RunAll()
    {
        string[] arguments = ["calls", .. Setup.Select(s => s.Call), .. HostileCalls().Select(c => Line(c.Entry, c.Position, c.Value))];
        (IReadOnlyList<Nanvix.Kernel.Proc.ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC0", arguments));
        Assert.Equal(0, exits.Single().Exit.Status);
        return output.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// For each call and each of its arguments of a checked kind, each value of that kind that names nothing here, and
    /// the errno the call must give (EBADF for a descriptor or stream, EFAULT for a text, EINVAL for the rest; portal_allow
    /// answers EINVAL for a bad descriptor, as Nanvix's). Migrate is left out: a good node would move the process.
    /// </summary>
    private static IEnumerable<(KernelCallEntry Entry, int Position, uint Value, int Errno)> HostileCalls()
    {
        foreach (KernelCallEntry entry in KernelCallTable.Entries.Where(e => e.Family != CallFamily.Migration))
        {
            for (int position = 0; position < entry.ArgumentCount; position++)
            {
                ArgumentKind kind = Kind(entry, position);
                if (kind == ArgumentKind.Pointer && !PointersCheckedAtOnce.Contains(entry.Number))
                {
                    continue;
                }

                int errno = kind switch
                {
                    ArgumentKind.Stream => Errno.EBADF,
                    ArgumentKind.Descriptor when entry.Number == KernelCallNumber.PortalAllow => Errno.EINVAL,
                    ArgumentKind.Descriptor => Errno.EBADF,
                    ArgumentKind.Text or ArgumentKind.Pointer => Errno.EFAULT,
                    ArgumentKind.Thread => Errno.ESRCH,
                    _ => Errno.EINVAL,
                };
                uint[] values = kind switch
                {
                    ArgumentKind.Stream => [7],
                    ArgumentKind.Thread => [5, 99, uint.MaxValue],
                    ArgumentKind.SyncObject => [3, 64, uint.MaxValue],
                    ArgumentKind.Descriptor => [7, uint.MaxValue],
                    ArgumentKind.Node => [9999, uint.MaxValue],
                    ArgumentKind.Port => [9999, uint.MaxValue],
                    ArgumentKind.Text or ArgumentKind.Pointer => [16, 0xFFFF_FFF0],
                    _ => [],
                };
                foreach (uint value in values)
                {
                    yield return (entry, position, value, errno);
                }
            }
        }
    }

    /// <summary>The call with <paramref name="value"/> at <paramref name="position"/> and values that name something real elsewhere.</summary>
    private static string Line(KernelCallEntry entry, int position, uint value)
    {
        string[] arguments = new string[entry.ArgumentCount];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = i == position ? ((int)value).ToString(CultureInfo.InvariantCulture) : Good(entry, i);
        }

        return string.Join(',', [entry.Number.ToString(CultureInfo.InvariantCulture), .. arguments]);
    }

    /// <summary>A value for argument <paramref name="position"/> that names something real (see <see cref="Setup"/>) or is harmless.</summary>
    private static string Good(KernelCallEntry entry, int position) => Kind(entry, position) switch
    {
        ArgumentKind.Stream => entry.Number == KernelCallNumber.Read ? "0" : "1",
        ArgumentKind.Text => "@",
        ArgumentKind.Node => "1",            // another compute cluster: good for mailboxes, portals and spawn alike
        ArgumentKind.Port => "7",
        ArgumentKind.Descriptor => "0",      // an input of each family
        ArgumentKind.Size => "1",
        ArgumentKind.Value when entry.Number is KernelCallNumber.SyncCreate or KernelCallNumber.SyncOpen && position == 1 => "2", // two nodes, one-to-all
        _ => "0",
    };

    private static ArgumentKind Kind(KernelCallEntry entry, int position) => position switch
    {
        0 => entry.A0,
        1 => entry.A1,
        _ => entry.A2,
    };

    private static string ErrnoName(int errno) =>
        typeof(Errno).GetFields(BindingFlags.Public | BindingFlags.Static).Single(f => f.IsLiteral && (int)f.GetRawConstantValue()! == errno).Name;

    /// <summary>The errors column of each call's row in docs/abi.md, by name ("as above": with the errors of the row above).</summary>
    private static Dictionary<string, string> DocumentedErrors()
    {
        var errors = new Dictionary<string, string>();
        string above = "";
        foreach (string line in File.ReadLines(Path.Combine(RepositoryFiles.Root, "docs", "abi.md")))
        {
            if (CallRow().Match(line) is { Success: true } row)
            {
                string cell = row.Groups[2].Value;
                above = errors[row.Groups[1].Value] = cell.Contains("as above", StringComparison.Ordinal) ? cell + " " + above : cell;
            }
        }

        return errors;
    }

    [GeneratedRegex(@"^\| \d+ \| `([a-z_0-9]+)` \|.*\| ([^|]*) \|\s*$")]
    private static partial Regex CallRow();
}
