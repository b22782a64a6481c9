using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Nanvix.Bench.ForkJoin;

/// <summary>Host nanoseconds per create+join pair: the mean time of a run over threads × rounds.</summary>
public sealed class PerCreateJoinColumn : IColumn
{
    public string Id => nameof(PerCreateJoinColumn);

    public string ColumnName => "ns per create+join";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Host nanoseconds per thread create+join (mean of a whole run / (threads x rounds))";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        object? threads = benchmarkCase.Parameters["Threads"];
        if (mean is not > 0 || threads is not int count)
        {
            return "-";
        }

        return (mean.Value / (count * ForkJoinBenchmarks.Rounds)).ToString("0", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
