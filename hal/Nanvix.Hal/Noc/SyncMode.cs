namespace Nanvix.Hal.Noc;

/// <summary>The two shapes of a sync point. In both, the first node of the list is the single side.</summary>
public enum SyncMode
{
    /// <summary>nodes[0] signals; every other node waits for that signal.</summary>
    OneToAll,

    /// <summary>Every node but nodes[0] signals; nodes[0] waits until all of them have.</summary>
    AllToOne,
}
