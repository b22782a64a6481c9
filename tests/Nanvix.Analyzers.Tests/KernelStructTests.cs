namespace Nanvix.Analyzers.Tests;

/// <summary>NNX101-NNX106: what a [KernelStruct] must look like, as a table of named cases.</summary>
public sealed class KernelStructTests
{
    /// <summary>Each case declares kernel structures and the rules they must break (none for a good structure).</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "explicit_unmanaged_struct_with_matching_size_is_allowed",
            """
            [KernelStruct(16), StructLayout(LayoutKind.Explicit, Size = 16)]
            public struct ThreadSlot
            {
                [FieldOffset(0)] public int Id;
                [FieldOffset(4)] public ThreadState State;
                [FieldOffset(8)] public long Entry;
            }
            """,
            ""
        },
        {
            "fixed_buffer_inline_array_and_nested_kernel_struct_are_allowed",
            """
            [KernelStruct(16), StructLayout(LayoutKind.Explicit)]
            public struct ThreadSlot
            {
                [FieldOffset(0)] public int Id;
                [FieldOffset(4)] public ThreadState State;
                [FieldOffset(8)] public long Entry;
            }

            [InlineArray(4)]
            public struct FourSlots { private ThreadSlot _slot; }

            [KernelStruct(104), StructLayout(LayoutKind.Explicit, Size = 104)]
            public unsafe struct UArea
            {
                [FieldOffset(0)] public fixed uint Stacks[8];
                [FieldOffset(32)] public FourSlots Threads;
                [FieldOffset(96)] public ulong Brk;
            }
            """,
            ""
        },
        {
            "managed_field_is_flagged",
            """
            [KernelStruct(8), StructLayout(LayoutKind.Explicit)]
            public struct Named { [FieldOffset(0)] public string Name; }
            """,
            "NNX101"
        },
        {
            "sequential_layout_is_flagged",
            """
            [KernelStruct(8)]
            public struct Sequential { public int A; public int B; }
            """,
            "NNX102"
        },
        {
            "declared_size_smaller_than_fields_is_flagged",
            """
            [KernelStruct(12), StructLayout(LayoutKind.Explicit)]
            public struct TooSmall { [FieldOffset(0)] public int A; [FieldOffset(8)] public long B; }
            """,
            "NNX103"
        },
        {
            "hidden_tail_padding_is_flagged",
            """
            [KernelStruct(16), StructLayout(LayoutKind.Explicit, Size = 16)]
            public struct Padded { [FieldOffset(0)] public long A; [FieldOffset(8)] public int B; }
            """,
            "NNX103"
        },
        {
            "struct_layout_size_different_from_declared_size_is_flagged",
            """
            [KernelStruct(8), StructLayout(LayoutKind.Explicit, Size = 16)]
            public struct TwoSizes { [FieldOffset(0)] public long A; }
            """,
            "NNX104"
        },
        {
            "nint_field_is_flagged",
            """
            [KernelStruct(8), StructLayout(LayoutKind.Explicit)]
            public struct Handle { [FieldOffset(0)] public nint Value; }
            """,
            "NNX105"
        },
        {
            "pointer_field_is_flagged",
            """
            [KernelStruct(8), StructLayout(LayoutKind.Explicit)]
            public unsafe struct Link { [FieldOffset(0)] public Link* Next; }
            """,
            "NNX105"
        },
        {
            "host_only_pointer_field_is_allowed",
            """
            [KernelStruct(16), StructLayout(LayoutKind.Explicit)]
            public unsafe struct Link { [FieldOffset(0), HostOnly] public Link* Next; [FieldOffset(8), HostOnly] public nuint Cookie; }
            """,
            ""
        },
        {
            "field_of_unknown_size_is_flagged",
            """
            public struct Loose { public int A; }

            [KernelStruct(8), StructLayout(LayoutKind.Explicit)]
            public struct Holder { [FieldOffset(0)] public Loose Value; }
            """,
            "NNX106"
        },
        {
            "struct_without_the_attribute_is_not_checked",
            """
            public struct Anything { public string Name; public nint Handle; }
            """,
            ""
        },
    };

    [Fact]
    public async Task Kernel_struct_of_a_referenced_assembly_keeps_its_declared_size()
    {
        const string hal = """
            using System.Runtime.InteropServices;
            [Nanvix.KernelStruct(8), StructLayout(LayoutKind.Explicit)]
            public struct NodeAddress { [FieldOffset(0)] public int Node; [FieldOffset(4)] public int Port; }
            """;
        Microsoft.CodeAnalysis.Compilation halOutput = KernelCompilation.Generate(KernelCompilation.Create(hal, "Nanvix.Hal"));
        using var image = new MemoryStream();
        Assert.True(halOutput.Emit(image).Success);

        const string kernel = """
            using System.Runtime.InteropServices;
            [Nanvix.KernelStruct(16), StructLayout(LayoutKind.Explicit)]
            public struct Mailbox { [FieldOffset(0)] public NodeAddress Remote; [FieldOffset(8)] public long Sent; }
            """;
        string[] ids = await KernelCompilation.AnalyzeAsync(
            kernel, kernelCode: true, Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(image.ToArray()));

        Assert.Empty(ids);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Kernel_struct_rule(string name, string declarations, string expected)
    {
        string[] ids = await KernelCompilation.AnalyzeAsync($$"""
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;
            using Nanvix;

            public enum ThreadState : int { Free, Ready, Running }

            {{declarations}}
            """);

        Assert.True(string.Join(",", ids) == expected, $"{name}: expected [{expected}], got [{string.Join(",", ids)}]");
    }
}
