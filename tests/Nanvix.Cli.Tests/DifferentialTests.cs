using System.Diagnostics;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// Every sample program runs under qemu-riscv32 (Debian's qemu-user, the reference) and under <c>nanvix run</c>, and
/// both must print the same stdout and exit with the same status. The one documented divergence, misaligned
/// accesses (our cores trap, qemu-user emulates them), is tested in the kernel's fault tests instead.
/// </summary>
public sealed class DifferentialTests
{
    private const string Qemu = "qemu-riscv32";

    public static TheoryData<string, string[]> Programs => new()
    {
        { "hello", [] },
        { "echo", ["alpha", "b c", "--flag-like"] },
        { "echo", [] },
        { "cpu", ["2"] },
        { "divide", [] },
        { "heap", [] },
        { "fault", ["null"] },
        { "fault", ["text"] },
        { "fault", ["illegal"] },
        { "fault", ["ebreak"] },
        { "fault", ["stack"] },
        { "fault", ["exit", "42"] },
        { "fault", ["badcall"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Program_behaves_as_under_qemu(string program, string[] arguments)
    {
        string? qemu = FindOnPath(Qemu);
        Skip.If(qemu is null, $"{Qemu} is not installed (Debian: apt-get install qemu-user); CI installs it");
        string path = RepositoryFiles.UserProgramPath(program);

        (int qemuStatus, string qemuOutput) = RunQemu(qemu!, path, arguments);
        (int status, string output, _) = CliRunner.Run(["run", path, "--", .. arguments]);

        Assert.Equal(qemuOutput, output);
        Assert.Equal(qemuStatus, status);
    }

    private static (int Status, string Output) RunQemu(string qemu, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = error.Result;

        // .NET reports a child killed by signal N as 128 + N, which is what a shell shows and what nanvix returns.
        return (process.ExitCode, output);
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
