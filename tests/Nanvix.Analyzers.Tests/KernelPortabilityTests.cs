namespace Nanvix.Analyzers.Tests;

/// <summary>NNX201-NNX203: no reflection, dynamic or run-time code in arch/, hal/ and kernel/, as a table of named cases.</summary>
public sealed class KernelPortabilityTests
{
    /// <summary>Each case is the body of a method in kernel code and the rules it must break.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "get_method_is_flagged", "return typeof(string).GetMethod(\"Trim\", Type.EmptyTypes) is null ? 0 : 1;", "NNX201" },
        { "get_methods_array_is_flagged", "return typeof(string).GetMethods().Length;", "NNX201" },
        { "reflection_extension_is_flagged", "return System.Reflection.RuntimeReflectionExtensions.GetRuntimeFields(typeof(string)) is null ? 0 : 1;", "NNX201" },
        { "type_get_type_by_name_is_flagged", "return Type.GetType(\"System.String\") is null ? 0 : 1;", "NNX201" },
        { "activator_is_flagged", "return Activator.CreateInstance(typeof(object)) is null ? 0 : 1;", "NNX201" },
        { "assembly_property_is_flagged", "return typeof(int).Assembly.FullName!.Length;", "NNX201" },
        { "dynamic_is_flagged", "dynamic value = 1; return (int)value;", "NNX202" },
        { "assembly_load_is_flagged", "return System.Reflection.Assembly.Load(\"Nanvix.Hal\").GetHashCode();", "NNX203" },
        { "reflection_emit_is_flagged", "var method = new System.Reflection.Emit.DynamicMethod(\"m\", typeof(int), Type.EmptyTypes); return method.Name.Length;", "NNX203" },
        { "expression_compile_is_flagged", "System.Linq.Expressions.Expression<Func<int>> e = () => 1; return e.Compile()();", "NNX203" },
        { "typeof_name_and_nameof_are_allowed", "return typeof(int).Name.Length + nameof(Run).Length + GetType().Name.Length;", "" },
        { "plain_code_is_allowed", "Span<int> words = stackalloc int[2]; return words.Length;", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Kernel_code_rule(string name, string body, string expected)
    {
        string[] ids = await KernelCompilation.AnalyzeAsync(Method(body), kernelCode: true);

        Assert.True(string.Join(",", ids) == expected, $"{name}: expected [{expected}], got [{string.Join(",", ids)}]");
    }

    [Fact]
    public async Task Reflection_outside_kernel_code_is_allowed()
    {
        string[] ids = await KernelCompilation.AnalyzeAsync(
            Method("dynamic d = 1; return typeof(string).GetMethods().Length + (int)d + System.Reflection.Assembly.Load(\"x\").GetHashCode();"),
            kernelCode: false);

        Assert.Empty(ids);
    }

    private static string Method(string body) => $$"""
        using System;

        public sealed class Cluster
        {
            public int Run()
            {
                {{body}}
            }
        }
        """;
}
