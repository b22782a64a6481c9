using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nanvix.Analyzers.Tests;

/// <summary>The MSBuild properties a test compilation pretends to have, e.g. build_property.NanvixKernelCode.</summary>
internal sealed class KernelConfigOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
{
    public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
}
