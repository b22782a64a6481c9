using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Nanvix.Analyzers.HotPath;
using Nanvix.Analyzers.Layout;
using Nanvix.Analyzers.Portability;

namespace Nanvix.Analyzers.Tests;

/// <summary>
/// Compiles a snippet the way a kernel project is built: the generator first (attributes, layout tables), then every
/// Nanvix analyzer over the result. The references are the running runtime's own assemblies.
/// </summary>
internal static class KernelCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly ImmutableArray<MetadataReference> RuntimeReferences = LoadRuntimeReferences();

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new HotPathAllocationAnalyzer(),
        new KernelStructAnalyzer(),
        new KernelPortabilityAnalyzer());

    public static CSharpCompilation Create(string source, string assemblyName = "Sample", params MetadataReference[] extra) =>
        CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Sample.cs")],
            RuntimeReferences.AddRange(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    public static AnalyzerConfigOptionsProvider Options(bool kernelCode) =>
        new KernelConfigOptionsProvider(new KernelConfigOptions(kernelCode
            ? new Dictionary<string, string> { ["build_property.NanvixKernelCode"] = "true" }
            : new Dictionary<string, string>()));

    /// <summary>Runs the generator; fails the test if the generated program does not compile.</summary>
    public static Compilation Generate(CSharpCompilation compilation, bool kernelCode = true)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new KernelLayoutGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: Options(kernelCode));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "the sample does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        return output;
    }

    /// <summary>The ids of the Nanvix diagnostics reported on <paramref name="source"/>, sorted.</summary>
    public static async Task<string[]> AnalyzeAsync(string source, bool kernelCode = true, params MetadataReference[] references)
    {
        Compilation compilation = Generate(Create(source, "Sample", references), kernelCode);
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, Options(kernelCode));
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
    }

    private static ImmutableArray<MetadataReference> LoadRuntimeReferences()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string paths = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return paths.Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == runtime)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
