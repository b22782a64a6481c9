using Microsoft.CodeAnalysis;

namespace Nanvix.Analyzers;

/// <summary>
/// Every rule of the Nanvix analyzers, documented in docs/analyzers.md. They are errors, not warnings, so that a
/// violation fails the build whatever a project's warning settings are.
/// </summary>
internal static class KernelDiagnostics
{
    private const string HotPathCategory = "Nanvix.HotPath";
    private const string LayoutCategory = "Nanvix.Layout";
    private const string PortabilityCategory = "Nanvix.Portability";
    private const string HelpBase = "docs/analyzers.md#";

    public static readonly DiagnosticDescriptor HeapAllocation = Rule(
        "NNX001", "Heap allocation in kernel hot path",
        "{0} allocates on the managed heap inside kernel hot path '{1}': use a struct, stackalloc, a Span<T> over cluster memory or a buffer allocated outside the hot path",
        HotPathCategory, "Kernel hot paths must not allocate reference types or arrays: allocation costs host time that the model does not count and breaks the NativeAOT porting study.");

    public static readonly DiagnosticDescriptor Boxing = Rule(
        "NNX002", "Boxing in kernel hot path",
        "Converting '{0}' to '{1}' boxes it on the managed heap inside kernel hot path '{2}': keep the value typed (a generic constrained to struct, or an overload taking the value type)",
        HotPathCategory, "Boxing a value type allocates a heap object.");

    public static readonly DiagnosticDescriptor DelegateAllocation = Rule(
        "NNX003", "Delegate allocation in kernel hot path",
        "{0} allocates a delegate inside kernel hot path '{1}': use a static lambda that captures nothing, passing state as an argument",
        HotPathCategory, "Capturing lambdas allocate a closure and a delegate; method-group conversions allocate a delegate.");

    public static readonly DiagnosticDescriptor Linq = Rule(
        "NNX004", "LINQ in kernel hot path",
        "LINQ call '{0}' allocates enumerators and delegates inside kernel hot path '{1}': write a loop over the array or a Span<T>",
        HotPathCategory, "System.Linq allocates enumerators, closures and often intermediate collections, even over arrays.");

    public static readonly DiagnosticDescriptor Enumerator = Rule(
        "NNX005", "Iterator or heap enumerator in kernel hot path",
        "{0} allocates an enumerator inside kernel hot path '{1}': return a Span<T> or a struct enumerator, or loop over an array or a Span<T>",
        HotPathCategory, "Iterator methods allocate their state machine; foreach over an interface allocates its enumerator.");

    public static readonly DiagnosticDescriptor StringBuilding = Rule(
        "NNX006", "String building in kernel hot path",
        "{0} builds a string on the managed heap inside kernel hot path '{1}': format outside the hot path, or write into a Span<char>",
        HotPathCategory, "String concatenation, interpolation and formatting allocate a new string each time.");

    public static readonly DiagnosticDescriptor ParamsArray = Rule(
        "NNX007", "params array in kernel hot path",
        "Calling '{0}' allocates a params array inside kernel hot path '{1}': call an overload with fixed arguments or one taking params ReadOnlySpan<T>",
        HotPathCategory, "A call to a params T[] method allocates the array on every call.");

    public static readonly DiagnosticDescriptor NotUnmanaged = Rule(
        "NNX101", "Kernel structure must be unmanaged",
        "Kernel structure '{0}' is not unmanaged because field '{1}' holds a managed reference: use a fixed buffer, an [InlineArray] struct or an offset into cluster memory",
        LayoutCategory, "Kernel structures live in pinned cluster memory and migrate byte for byte, so they cannot hold references the GC tracks.");

    public static readonly DiagnosticDescriptor NoExplicitLayout = Rule(
        "NNX102", "Kernel structure must have explicit layout",
        "Kernel structure '{0}' must declare [StructLayout(LayoutKind.Explicit, Size = {1})] and give every field a [FieldOffset]",
        LayoutCategory, "Offsets of kernel structures are a contract with the memory map and the layout report; the runtime must not choose them.");

    public static readonly DiagnosticDescriptor SizeMismatch = Rule(
        "NNX103", "Kernel structure size must match its fields",
        "Kernel structure '{0}' declares {1} bytes but its fields end at byte {2}: fix the size in [KernelStruct], or name the padding with an explicit reserved field",
        LayoutCategory, "A declared size that differs from the fields hides padding or an overflow from the layout report.");

    public static readonly DiagnosticDescriptor LayoutSizeDisagrees = Rule(
        "NNX104", "StructLayout size must equal the declared kernel size",
        "Kernel structure '{0}' declares {1} bytes in [KernelStruct] but StructLayout.Size is {2}: make them equal",
        LayoutCategory, "Two different sizes for one structure mean the runtime and the layout report disagree.");

    public static readonly DiagnosticDescriptor HostDependentField = Rule(
        "NNX105", "Host-dependent field in kernel structure",
        "Field '{0}' of kernel structure '{1}' has type '{2}' whose size depends on the host: use a fixed-width integer (an offset into cluster memory), or mark the field [HostOnly]",
        LayoutCategory, "nint, nuint and pointers change size between hosts, so the structure's layout would too; host-only fields never migrate.");

    public static readonly DiagnosticDescriptor UnknownFieldSize = Rule(
        "NNX106", "Kernel structure field has no known size",
        "Field '{0}' of kernel structure '{1}' has type '{2}' whose size is not known at compile time: use a primitive, an enum, a fixed buffer, an [InlineArray] struct or another [KernelStruct]",
        LayoutCategory, "The declared size can only be checked when every field's size is known.");

    public static readonly DiagnosticDescriptor Reflection = Rule(
        "NNX201", "Reflection in kernel code",
        "'{0}' uses reflection, which kernel code must not: call the member directly, or use a generic or a switch over known types",
        PortabilityCategory, "Reflection is trimmed away or slow under NativeAOT and hides what the kernel touches.");

    public static readonly DiagnosticDescriptor Dynamic = Rule(
        "NNX202", "dynamic in kernel code",
        "'dynamic' binds at run time, which kernel code must not: use a static type",
        PortabilityCategory, "dynamic needs the run-time binder, which NativeAOT does not support.");

    public static readonly DiagnosticDescriptor RuntimeCodeGeneration = Rule(
        "NNX203", "Run-time code generation or loading in kernel code",
        "'{0}' generates or loads code at run time, which kernel code must not: write the code ahead of time, or generate it with a source generator",
        PortabilityCategory, "Reflection.Emit, expression compilation, Assembly.Load and Roslyn cannot run in a NativeAOT binary.");

    private static DiagnosticDescriptor Rule(string id, string title, string message, string category, string description) =>
        new DiagnosticDescriptor(
            id,
            title,
            message,
            category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpBase + id.ToLowerInvariant());
}
