namespace Nanvix.Kernel.Mm;

/// <summary>What <see cref="AddressSpace.MapNew"/> and <see cref="AddressSpace.MapRange"/> did.</summary>
public enum MapResult
{
    /// <summary>Fresh frames are mapped with the permissions asked.</summary>
    Mapped,

    /// <summary>No frame or page-table page was left; nothing stays mapped that was not before.</summary>
    NoMemory,

    /// <summary>A page was mapped already: it keeps its frame and its permissions (a mapping is never widened).</summary>
    AlreadyMapped,

    /// <summary>A page lies where user memory may never be (<see cref="UserAddressMap.IsReservedPage"/>).</summary>
    Reserved,
}
