namespace Nanvix.Kernel.Layout;

/// <summary>
/// A kind's view of an <see cref="IkcEntry"/> (mailbox, portal, sync point): what it says of itself to the table. Its
/// first three words are the entry's (kind, owner, number).
/// </summary>
internal interface IIkcDescriptor
{
    /// <summary>The kind's family in <see cref="IkcEntry.Kind"/>.</summary>
    static abstract int Family { get; }

    /// <summary>True when the entry is a descriptor of <see cref="OwnerPid"/> by number <see cref="Descriptor"/> (not a forward entry).</summary>
    bool IsDescriptor { get; }

    int OwnerPid { get; }

    int Descriptor { get; }
}
