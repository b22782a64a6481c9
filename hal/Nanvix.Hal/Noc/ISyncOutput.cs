namespace Nanvix.Hal.Noc;

/// <summary>The signalling side of a sync point.</summary>
public interface ISyncOutput : INocEndpoint
{
    SyncMode Mode { get; }

    /// <summary>Sends this node's signal now (one-to-all: to every waiting node; all-to-one: to nodes[0]).</summary>
    void Signal();
}
