namespace Nanvix.Hal.Memory;

/// <summary>Who may touch a region of cluster memory.</summary>
[Flags]
public enum RegionAccess
{
    /// <summary>Nobody: a carve-out of the hypervisor or unassigned memory. Any access is an error.</summary>
    None = 0,

    /// <summary>Kernel structures and kernel pages.</summary>
    Kernel = 1,

    /// <summary>User frames (the kernel may touch them too).</summary>
    User = 2,
}
