namespace Nanvix.Analyzers;

/// <summary>
/// Metadata names of the marker attributes that the generator emits into every consuming project; the analyzers
/// find them by these names, so a project that never uses them pays nothing.
/// </summary>
internal static class KernelAttributeNames
{
    public const string HotPath = "Nanvix.KernelHotPathAttribute";
    public const string KernelStruct = "Nanvix.KernelStructAttribute";
    public const string HostOnly = "Nanvix.HostOnlyAttribute";
    public const string StructLayout = "System.Runtime.InteropServices.StructLayoutAttribute";
    public const string FieldOffset = "System.Runtime.InteropServices.FieldOffsetAttribute";
    public const string InlineArray = "System.Runtime.CompilerServices.InlineArrayAttribute";

    /// <summary>The MSBuild property (made compiler-visible by Directory.Build.props) that marks arch/, hal/ and kernel/.</summary>
    public const string KernelCodeProperty = "build_property.NanvixKernelCode";
}
