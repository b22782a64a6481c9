namespace Nanvix.Hal.Memory;

/// <summary>The names of the regions every cluster's memory map uses, so that the kernel finds them on any backend.</summary>
public static class MemoryRegionNames
{
    /// <summary>Hypervisor carve-out at the bottom of memory (absent on machines without a hypervisor).</summary>
    public const string HypervisorLow = "hypervisor-low";

    /// <summary>Kernel text and read-only data.</summary>
    public const string KernelImage = "kernel-image";

    /// <summary>Kernel globals, kernel stacks, per-process kernel state.</summary>
    public const string KernelData = "kernel-data";

    /// <summary>Pool of 4 KB kernel pages (page tables, kernel stacks).</summary>
    public const string KernelPool = "kernel-pool";

    /// <summary>User frames.</summary>
    public const string User = "user";

    /// <summary>Memory nobody uses; any access is an error.</summary>
    public const string Unused = "unused";

    /// <summary>Hypervisor carve-out at the top of memory.</summary>
    public const string HypervisorHigh = "hypervisor-high";
}
