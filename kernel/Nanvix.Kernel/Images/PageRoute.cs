namespace Nanvix.Kernel.Images;

/// <summary>How one page of a moving process reaches the target (<see cref="ProcessSnapshot.Routes"/>).</summary>
public enum PageRoute
{
    /// <summary>In the regions after the kernel state, while the process is frozen (stop-and-copy, and pre-copy's last dirty pages).</summary>
    Regions = 0,

    /// <summary>Copied in a pre-copy round while the process still ran, and not written since: the target has it already.</summary>
    Precopied = 1,

    /// <summary>Left on the source (post-copy): the target pulls it over the NoC when the process first touches it.</summary>
    OnDemand = 2,
}
