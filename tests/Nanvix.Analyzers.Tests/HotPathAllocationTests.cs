namespace Nanvix.Analyzers.Tests;

/// <summary>NNX001-NNX007: what kernel hot paths may and may not do, as a table of named cases.</summary>
public sealed class HotPathAllocationTests
{
    /// <summary>Each case is the body of a [KernelHotPath] method and the rules it must break (none for allowed code).</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        // Allocation.
        { "new_of_a_class_is_flagged", "var list = new List<int>(); return list.Count;", "NNX001" },
        { "new_array_is_flagged", "var copy = new int[n]; return copy.Length;", "NNX001" },
        { "array_initializer_is_flagged", "int[] copy = { 1, 2, n }; return copy[0];", "NNX001" },
        { "collection_expression_to_array_is_flagged", "int[] copy = [1, n]; return copy[0];", "NNX001" },
        { "anonymous_object_is_flagged", "var pair = new { A = n }; return pair.A;", "NNX001" },
        { "stackalloc_is_allowed", "Span<int> words = stackalloc int[4]; words[0] = n; return words[0];", "" },
        { "implicit_stackalloc_is_allowed", "Span<int> words = stackalloc[] { 1, 2, n }; return words[2];", "" },
        { "collection_expression_to_span_is_allowed", "Span<int> words = [1, 2, n]; return words[1];", "" },
        { "empty_collection_expression_to_array_is_allowed", "int[] none = []; return none.Length;", "" },
        { "span_over_cluster_memory_is_allowed", "Span<uint> words = MemoryMarshal.Cast<byte, uint>(cluster); words[0] = (uint)n; return (int)words[0];", "" },
        { "span_slice_of_cluster_memory_is_allowed", "Span<byte> frame = cluster.Slice(4096, 4096); frame.Clear(); return frame.Length;", "" },
        { "span_over_a_pointer_is_allowed", "unsafe { byte* page = stackalloc byte[64]; var bytes = new Span<byte>(page, 64); return bytes.Length; }", "" },
        { "value_type_new_is_allowed", "var slot = new Slot(n); return slot.Id;", "" },
        { "allocation_inside_throw_is_allowed", "if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $\"bad {n}\"); return n;", "" },

        // Boxing.
        { "boxing_to_object_is_flagged", "object boxed = n; return boxed.GetHashCode();", "NNX002" },
        { "boxing_to_interface_is_flagged", "IComparable<int> boxed = n; return boxed.CompareTo(3);", "NNX002" },
        { "constrained_generic_call_does_not_box", "return Compare(n, 3);", "" },

        // Delegates.
        { "capturing_lambda_is_flagged", "Func<int, int> add = x => x + n; return add(1);", "NNX003" },
        { "lambda_capturing_this_is_flagged", "Func<int> read = () => field; return read();", "NNX003" },
        { "method_group_delegate_is_flagged", "Func<int, int> twice = Twice; return twice(n);", "NNX003" },
        { "non_capturing_lambda_is_allowed", "Func<int, int> add = x => x + 1; return add(n);", "" },
        { "static_lambda_is_allowed", "Func<int, int> twice = static x => x * 2; return twice(n);", "" },
        { "lambda_using_its_own_locals_is_allowed", "Func<int, int> f = x => { int y = x * 2; return y; }; return f(n);", "" },

        // LINQ, iterators, enumerators.
        { "enumerable_call_on_an_array_is_flagged", "return array.Sum();", "NNX004" },
        { "query_expression_is_flagged", "return (from x in array where x > 1 select x).First();", "NNX004,NNX004" },
        { "foreach_over_an_interface_is_flagged", "IEnumerable<int> items = array; foreach (int x in items) { n += x; } return n;", "NNX005" },
        { "foreach_over_an_array_is_allowed", "foreach (int x in array) { n += x; } return n;", "" },
        { "foreach_over_a_string_is_allowed", "foreach (char c in \"abc\") { n += c; } return n;", "" },
        { "foreach_over_a_span_is_allowed", "foreach (byte b in cluster) { n += b; } return n;", "" },
        { "span_contains_is_allowed", "return ((ReadOnlySpan<int>)array).Contains(n) ? 1 : 0;", "" },

        // Strings.
        { "string_concatenation_is_flagged", "string text = \"n=\" + n.ToString(); return text.Length;", "NNX006" },
        { "concatenation_with_a_value_is_flagged_once", "string text = \"n=\" + n; return text.Length;", "NNX006" },
        { "string_interpolation_is_flagged", "string text = $\"n={n}\"; return text.Length;", "NNX006" },
        { "string_format_is_flagged", "return string.Format(\"{0}\", \"x\").Length;", "NNX006" },
        { "constant_concatenation_is_allowed", "const string text = \"a\" + \"b\"; return text.Length + n;", "" },

        // params.
        { "params_array_is_flagged", "return Sum(1, 2, n);", "NNX007" },
        { "empty_params_is_allowed", "return Sum();", "" },
        { "params_span_is_allowed", "return SumSpan(1, 2, n);", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hot_path_rule(string name, string body, string expected)
    {
        string[] ids = await KernelCompilation.AnalyzeAsync(HotMethod(body));

        Assert.True(string.Join(",", ids) == expected, $"{name}: expected [{expected}], got [{string.Join(",", ids)}]");
    }

    [Fact]
    public async Task Iterator_in_hot_path_is_flagged()
    {
        string[] ids = await KernelCompilation.AnalyzeAsync("""
            using System.Collections.Generic;
            public sealed class RunQueue
            {
                [Nanvix.KernelHotPath]
                public IEnumerable<int> Ready() { yield return 1; yield return 2; }
            }
            """);

        Assert.Equal(["NNX005", "NNX005"], ids);
    }

    [Fact]
    public async Task Attribute_on_a_type_makes_every_member_hot()
    {
        string[] ids = await KernelCompilation.AnalyzeAsync("""
            [Nanvix.KernelHotPath]
            public sealed class Scheduler
            {
                private static readonly int[] Quanta = new int[16];
                static Scheduler() { _ = new object(); }
                public int Pick() => new object().GetHashCode() + Quanta[0];
                public int Current => new int[1].Length;
            }
            """);

        Assert.Equal(["NNX001", "NNX001"], ids);
    }

    [Fact]
    public async Task Code_outside_hot_paths_may_allocate()
    {
        string[] ids = await KernelCompilation.AnalyzeAsync("""
            using System.Linq;
            public sealed class Report
            {
                public string Render(int[] counts) => string.Join(",", counts.Select(c => $"{c}"));
            }
            """);

        Assert.Empty(ids);
    }

    private static string HotMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.InteropServices;
        using Nanvix;

        public readonly struct Slot(int id)
        {
            public int Id { get; } = id;
        }

        public sealed class ThreadTable
        {
            private int field;

            [KernelHotPath]
            public int Run(int[] array, int n, Span<byte> cluster)
            {
                {{body}}
            }

            private static int Twice(int x) => 2 * x;
            private static int Sum(params int[] values) => values.Length;
            private static int SumSpan(params ReadOnlySpan<int> values) => values.Length;
            private static int Compare<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b);
        }
        """;
}
