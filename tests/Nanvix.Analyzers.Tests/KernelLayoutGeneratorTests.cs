using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Nanvix.Analyzers.Layout;

namespace Nanvix.Analyzers.Tests;

/// <summary>The layout generator: what it emits for a kernel structure, that the emitted check works, and that it caches.</summary>
public sealed class KernelLayoutGeneratorTests
{
    private const string Sample = """
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;
        using Nanvix;

        namespace Nanvix.Kernel.Threads;

        public enum ThreadState : int { Free, Ready, Running }

        [InlineArray(2)]
        public struct TwoWords { private uint _word; }

        [KernelStruct(40), StructLayout(LayoutKind.Explicit, Size = 40)]
        public unsafe struct ThreadControlBlock
        {
            [FieldOffset(0)] public int Tid;
            [FieldOffset(4)] public ThreadState State;
            [FieldOffset(8)] public fixed uint Registers[4];
            [FieldOffset(24)] public TwoWords Join;
            [FieldOffset(32), HostOnly] public ThreadControlBlock* Next;
        }
        """;

    [Fact]
    public void Sample_struct_gets_its_layout_table()
    {
        string layouts = GeneratedSource(KernelCompilation.Create(Sample, "Nanvix.Kernel"), LayoutSourceWriter.HintName);

        Assert.Contains("namespace Nanvix.Kernel.Layout", layouts);
        Assert.Contains("public static class KernelLayouts", layouts);
        Assert.Contains("new global::Nanvix.Layout.StructLayoutInfo(\"Nanvix.Kernel.Threads.ThreadControlBlock\", 40,", layouts);
        Assert.Contains("new global::Nanvix.Layout.FieldLayoutInfo(\"Tid\", \"int\", 0, 4, false),", layouts);
        Assert.Contains("new global::Nanvix.Layout.FieldLayoutInfo(\"State\", \"ThreadState\", 4, 4, false),", layouts);
        Assert.Contains("new global::Nanvix.Layout.FieldLayoutInfo(\"Registers\", \"uint[4]\", 8, 16, false),", layouts);
        Assert.Contains("new global::Nanvix.Layout.FieldLayoutInfo(\"Join\", \"TwoWords\", 24, 8, false),", layouts);
        Assert.Contains("new global::Nanvix.Layout.FieldLayoutInfo(\"Next\", \"ThreadControlBlock*\", 32, 8, true),", layouts);
        Assert.Contains("public static unsafe void VerifyNanvix_Kernel_Threads_ThreadControlBlock(", layouts);
        Assert.Contains("Unsafe.ByteOffset", layouts);
    }

    [Fact]
    public void Generated_check_passes_when_the_runtime_agrees()
    {
        Assembly assembly = Load(KernelCompilation.Create(Sample, "Nanvix.Kernel"));

        Assert.Empty(Verify(assembly, "Nanvix.Kernel.Layout.KernelLayouts"));
        Assert.Single(Structs(assembly, "Nanvix.Kernel.Layout.KernelLayouts"));
    }

    [Fact]
    public void Generated_check_reports_a_wrong_declared_size()
    {
        const string wrong = """
            using System.Runtime.InteropServices;
            [Nanvix.KernelStruct(12), StructLayout(LayoutKind.Explicit)]
            public struct Portal { [FieldOffset(0)] public int Id; [FieldOffset(8)] public long Bytes; }
            """;

        Assembly assembly = Load(KernelCompilation.Create(wrong, "Nanvix.Hal"));

        Assert.Equal(["Portal: size is 16, metadata says 12"], Verify(assembly, "Nanvix.Hal.Layout.KernelLayouts"));
    }

    [Fact]
    public void Metadata_types_are_emitted_once_by_the_lowest_assembly()
    {
        CSharpCompilation arch = KernelCompilation.Create("public struct Nothing { }", "Nanvix.Arch");
        Compilation archOutput = KernelCompilation.Generate(arch);
        using var image = new MemoryStream();
        Assert.True(archOutput.Emit(image).Success);

        CSharpCompilation hal = KernelCompilation.Create(
            "public struct Other { }", "Nanvix.Hal", MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorDriverRunResult halRun = Run(hal);

        Assert.Contains(Run(arch).GeneratedTrees, tree => tree.FilePath.EndsWith(LayoutMetadataSources.HintName, StringComparison.Ordinal));
        Assert.DoesNotContain(halRun.GeneratedTrees, tree => tree.FilePath.EndsWith(LayoutMetadataSources.HintName, StringComparison.Ordinal));
        Assert.Contains(halRun.GeneratedTrees, tree => tree.FilePath.EndsWith(LayoutSourceWriter.HintName, StringComparison.Ordinal));
        KernelCompilation.Generate(hal);
    }

    [Fact]
    public void Second_run_with_the_same_input_is_cached()
    {
        CSharpCompilation compilation = KernelCompilation.Create(Sample, "Nanvix.Kernel");
        GeneratorDriver driver = TrackingDriver();

        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.Clone());

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        AssertAllCached(result, KernelLayoutGenerator.StructStep);
        AssertAllCached(result, KernelLayoutGenerator.TableStep);
        Assert.All(
            result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_an_unrelated_file_keeps_the_layout_cached()
    {
        CSharpCompilation compilation = KernelCompilation.Create(Sample, "Nanvix.Kernel");
        GeneratorDriver driver = TrackingDriver();

        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public static class Scheduler { public static int Quantum => 4; }", KernelCompilation.ParseOptions)));

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        AssertAllCached(result, KernelLayoutGenerator.TableStep);
    }

    private static void AssertAllCached(GeneratorRunResult result, string step)
    {
        ImmutableArray<IncrementalGeneratorRunStep> runs = result.TrackedSteps[step];
        Assert.NotEmpty(runs);
        Assert.All(
            runs.SelectMany(run => run.Outputs),
            output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} output was {output.Reason}"));
    }

    private static GeneratorDriver TrackingDriver() => CSharpGeneratorDriver.Create(
        [new KernelLayoutGenerator().AsSourceGenerator()],
        parseOptions: KernelCompilation.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static GeneratorDriverRunResult Run(CSharpCompilation compilation) =>
        TrackingDriver().RunGenerators(compilation).GetRunResult();

    private static string GeneratedSource(CSharpCompilation compilation, string hintName) =>
        Run(compilation).GeneratedTrees.Single(tree => tree.FilePath.EndsWith(hintName, StringComparison.Ordinal)).ToString();

    private static Assembly Load(CSharpCompilation compilation)
    {
        Compilation output = KernelCompilation.Generate(compilation);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true).LoadFromStream(image);
    }

    private static string[] Verify(Assembly assembly, string layouts)
    {
        object result = assembly.GetType(layouts, throwOnError: true)!.GetMethod("Verify")!.Invoke(null, null)!;
        return ((IEnumerable<string>)result).ToArray();
    }

    private static System.Collections.IList Structs(Assembly assembly, string layouts) =>
        (System.Collections.IList)assembly.GetType(layouts, throwOnError: true)!.GetProperty("Structs")!.GetValue(null)!;
}
