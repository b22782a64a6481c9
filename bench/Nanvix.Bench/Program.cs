using BenchmarkDotNet.Running;

namespace Nanvix.Bench;

/// <summary>Entry point: BenchmarkDotNet's switcher, so <c>--filter</c>, <c>--list</c> and the other BenchmarkDotNet flags work.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // With no filter, run everything instead of asking on the console.
        string[] effective = args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f" || a.StartsWith("--list", StringComparison.Ordinal))
            ? args
            : [.. args, "--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(effective);
        return 0;
    }
}
