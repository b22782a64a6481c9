namespace Nanvix.Kernel.Ikc;

/// <summary>What every kind of IKC descriptor entry (mailbox, portal, sync point) says of itself to its table.</summary>
internal interface IIkcDescriptor
{
    /// <summary>True for a free entry.</summary>
    bool IsFree { get; }

    /// <summary>True when the entry is a descriptor of <see cref="OwnerPid"/> by number <see cref="Descriptor"/> (not a forward entry).</summary>
    bool IsDescriptor { get; }

    int OwnerPid { get; }

    int Descriptor { get; }
}
