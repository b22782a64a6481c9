namespace Nanvix.Hal.Processor;

/// <summary>One core of a cluster.</summary>
public interface ICore
{
    /// <summary>Number of the core inside its cluster; 0 is the master core.</summary>
    int Id { get; }

    ICluster Cluster { get; }

    /// <summary>True for the core that runs the kernel's master loop.</summary>
    bool IsMaster { get; }
}
