using System.Globalization;
using System.Text.RegularExpressions;
using Nanvix.Kernel.Migration;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// A moved run judged against the unmoved one: what differs (empty when nothing does), a short signature of the first
/// problem (numbers taken out, to group runs that fail the same way), and the messages fifo's and stream's receivers
/// found lost or duplicated (lower bounds: a receiver killed while waiting counts one lost message).
/// </summary>
internal sealed record StressVerdict(IReadOnlyList<string> Problems, string? Signature, int Lost, int Duplicated)
{
    /// <summary>
    /// The refusals a move may end with: the process is gone or already there, the target has no room (IKC entries
    /// included), the source has no node entries for what it would leave, a portal would connect a node to itself or
    /// pair with a node another process that left there still keeps, a port is taken, a region was lost (an injected
    /// fault). A process with sync points open moves like any other.
    /// </summary>
    public const string ExpectedRefusals =
        "already runs|ended|no process \\d+ runs now|a portal does not connect a node to itself|is taken|lost on the NoC|process slots are taken|not enough|no memory|free IKC entries|IKC entries process \\d+ would leave|portal for process \\d+, which left|no kernel page";

    public bool Passed => Problems.Count == 0;

    public static StressVerdict Judge(StressScenario scenario, StressOutcome unmoved, StressOutcome moved)
    {
        var problems = new List<(string Signature, string Text)>();
        StressProgram[] programs = scenario.Sample.Programs;
        if (moved.HostError is { } error)
        {
            string top = TopFrame(error);
            problems.Add(($"host {error.GetType().Name} at {top}", $"host exception {error.GetType().Name}: {error.Message}\n{error.StackTrace}"));
        }

        for (int i = 0; i < programs.Length; i++)
        {
            string who = $"program {i + 1} ({programs[i]})";
            if (moved.Statuses[i] != unmoved.Statuses[i])
            {
                string diagnostic = moved.Diagnostics[i] is { } d ? $": {d}" : "";
                problems.Add(($"{scenario.Sample.Name} {programs[i].Arguments[1]}: status {moved.Statuses[i]?.ToString(CultureInfo.InvariantCulture) ?? "none"}{Numberless(Tail(diagnostic))}",
                    $"{who}: status {moved.Statuses[i]?.ToString(CultureInfo.InvariantCulture) ?? "none (did not end)"}, unmoved {unmoved.Statuses[i]}{diagnostic}"));
            }

            if (!moved.Lines[i].SequenceEqual(unmoved.Lines[i]))
            {
                string first = moved.Lines[i].Except(unmoved.Lines[i]).FirstOrDefault() ?? "(lines missing)";
                problems.Add(($"{scenario.Sample.Name} {programs[i].Arguments[1]}: output {Numberless(first)}",
                    $"{who}: output\n    {string.Join("\n    ", moved.Lines[i])}\n  unmoved\n    {string.Join("\n    ", unmoved.Lines[i])}"));
            }
        }

        foreach (StressTicket ticket in moved.Tickets)
        {
            if (ticket.State is not (MigrationState.Done or MigrationState.Refused))
            {
                problems.Add(($"ticket left {ticket.State}", $"move of process {ticket.Pid} to {ticket.Target} left {ticket.State}"));
            }
            else if (ticket.State == MigrationState.Refused && !Regex.IsMatch(ticket.Refusal ?? "", ExpectedRefusals))
            {
                problems.Add(($"refused: {Numberless(ticket.Refusal ?? "")}", $"move of process {ticket.Pid} to {ticket.Target} refused: {ticket.Refusal}"));
            }
        }

        (int lost, int duplicated) = Messages(scenario, moved);
        if (moved.HostError is null && problems.Count > 0 && lost + duplicated > 0)
        {
            problems.Insert(0, ($"{scenario.Sample.Name}: {(lost > 0 ? "lost" : "duplicated")} messages", $"messages lost {lost}, duplicated {duplicated}"));
        }

        return new StressVerdict([.. problems.Select(p => p.Text)], problems.Count == 0 ? null : problems[0].Signature, lost, duplicated);
    }

    /// <summary>Lost and duplicated messages as fifo's and stream's receivers (program 1) saw them.</summary>
    private static (int Lost, int Duplicated) Messages(StressScenario scenario, StressOutcome moved)
    {
        string[] receiver = moved.Lines[0];
        bool ended = moved.Statuses[0] is 0;
        switch (scenario.Sample.Programs[0].Arguments)
        {
            case ["fifo", "receive", ..]:
                foreach (string line in receiver)
                {
                    if (Regex.Match(line, @"received \d+ messages from \d+ senders, (\d+) out of order") is { Success: true } m)
                    {
                        // fifo reads exactly SENDERS x COUNT messages: one out of order is a duplicate or one that overtook a lost one.
                        return (0, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                    }
                }

                return (ended ? 0 : 1, 0);
            case ["stream", "recv", ..]:
                foreach (string line in receiver)
                {
                    if (Regex.Match(line, @"sequence (\d+), expected sequence (-?\d+): (gap|duplicate or late)") is { Success: true } m)
                    {
                        int got = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), expected = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                        return m.Groups[3].Value == "gap" ? (got - expected, 0) : (0, 1);
                    }
                }

                return (ended || receiver.Contains("stream: in order") ? 0 : 1, 0);
            default:
                return (0, 0);
        }
    }

    private static string Tail(string diagnostic) => diagnostic.Length > 120 ? diagnostic[..120] : diagnostic;

    /// <summary>A message with its numbers replaced, so that runs failing the same way share a signature.</summary>
    public static string Numberless(string text) => Regex.Replace(text, @"\d+", "#");

    /// <summary>The first frame of an exception's stack that names a method (type and method only).</summary>
    public static string TopFrame(Exception error)
    {
        string? line = error.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at ", StringComparison.Ordinal));
        return line is null ? "?" : Regex.Replace(line[3..], @"\(.*$", "");
    }
}
