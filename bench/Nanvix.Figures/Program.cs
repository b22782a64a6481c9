using System.Globalization;
using Nanvix.Figures;

// Modeled figures are deterministic: the same build gives the same tables and plots on any host.
string figure = args.Length > 0 ? args[0] : "";
string output = Path.Combine("docs", "figures");
int dataCacheKB = 8;
for (int i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--out":
            output = args[i + 1];
            break;
        case "--dcache-kb" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int kb) && kb > 0 && (kb & (kb - 1)) == 0:
            dataCacheKB = kb;
            break;
        default:
            return Usage($"bad option '{args[i]} {args[i + 1]}'");
    }
}

switch (figure)
{
    case "forkjoin":
        Directory.CreateDirectory(output);
        ForkJoinFigure.Write(Console.Out, output, dataCacheKB);
        return 0;
    case "ikc":
        Directory.CreateDirectory(output);
        IkcFigure.Write(Console.Out, output);
        Console.Error.WriteLine();
        return 0;
    default:
        return Usage(figure.Length == 0 ? "no figure named" : $"unknown figure '{figure}'");
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"Nanvix.Figures: {problem}");
    Console.Error.WriteLine("usage: Nanvix.Figures forkjoin|ikc [--out DIR] [--dcache-kb N]   (run from the repository root; table to stdout; plots to DIR, default docs/figures; N a power of two)");
    return 2;
}
