using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// Millions of RV32 instructions retired per host second: the instructions of one run of the program (counted by
/// running it once here, deterministic) divided by the benchmark's mean time.
/// </summary>
public sealed class InstructionsPerSecondColumn : IColumn
{
    private static readonly Lazy<ulong> Instructions = new(() => CpuProgram.Run(cache: false));

    public string Id => nameof(InstructionsPerSecondColumn);

    public string ColumnName => "M instr/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Millions of RV32 instructions per host second (instructions of one run / mean time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNanoseconds = report?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0 ? (Instructions.Value / meanNanoseconds.Value * 1e3).ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
