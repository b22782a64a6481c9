using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nanvix.Analyzers.Tests;

/// <summary>Hands the same global options to every file, as MSBuild does for CompilerVisibleProperty values.</summary>
internal sealed class KernelConfigOptionsProvider(AnalyzerConfigOptions global) : AnalyzerConfigOptionsProvider
{
    private static readonly AnalyzerConfigOptions None = new KernelConfigOptions(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions => global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => None;
}
