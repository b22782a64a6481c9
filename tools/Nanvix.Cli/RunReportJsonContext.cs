using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>Source-generated JSON for <see cref="RunReport"/>: no reflection, so the NativeAOT binary stays warning-free.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(RunReport))]
public sealed partial class RunReportJsonContext : JsonSerializerContext;
