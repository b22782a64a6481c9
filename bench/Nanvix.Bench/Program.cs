using BenchmarkDotNet.Running;

namespace Nanvix.Bench;

/// <summary>Entry point: BenchmarkDotNet's switcher, so <c>--filter</c>, <c>--list</c> and the other BenchmarkDotNet flags work.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
