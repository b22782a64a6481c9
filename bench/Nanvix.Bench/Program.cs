using BenchmarkDotNet.Reports;
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
        Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(effective)];

        // Flags that only print (the list, help, version) run no benchmark; otherwise running none is a mistake (a
        // filter that matches nothing), and so is a benchmark that failed.
        if (args.Any(a => a.StartsWith("--list", StringComparison.Ordinal) || a is "--help" or "-h" or "-?" or "--info" or "--version"))
        {
            return 0;
        }

        if (summaries.Length == 0 || summaries.All(s => s.BenchmarksCases.Length == 0))
        {
            Console.Error.WriteLine($"nanvix-bench: no benchmark matches the filter ({string.Join(' ', args)}); --list flat shows them all");
            return 1;
        }

        if (summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)))
        {
            Console.Error.WriteLine("nanvix-bench: a benchmark failed (see its log above)");
            return 1;
        }

        return 0;
    }
}
