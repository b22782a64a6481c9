namespace Nanvix.Hal.Noc;

/// <summary>The waiting side of a sync point.</summary>
public interface ISyncInput : INocEndpoint
{
    SyncMode Mode { get; }

    /// <summary>Consumes one release of the sync point if it happened (one-to-all: the signal arrived; all-to-one: every signal arrived). False otherwise.</summary>
    bool TryWait();
}
