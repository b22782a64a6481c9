namespace Nanvix.Kernel.Ikc;

/// <summary>What a request to the name service asks.</summary>
public enum NameOperation : byte
{
    Link = 1,
    Unlink = 2,
    Lookup = 3,

    /// <summary>To the spawn service: start a program (name, then its argument) on a node.</summary>
    Spawn = 4,

    /// <summary>The process that linked a name says it is alive.</summary>
    Heartbeat = 5,

    /// <summary>From a kernel: process pid moved here (the reply node); its names now lead to this node. Not answered.</summary>
    Relocate = 6,
}
