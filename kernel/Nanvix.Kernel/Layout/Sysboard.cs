using System.Runtime.CompilerServices;
using Nanvix.Kernel.Calls;

namespace Nanvix.Kernel.Layout;

/// <summary>The kernel-call board: one slot per core.</summary>
[InlineArray(KernelConstants.MaxCores)]
public struct Sysboard
{
    private SysboardEntry _element0;
}
