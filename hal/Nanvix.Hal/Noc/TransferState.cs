namespace Nanvix.Hal.Noc;

/// <summary>Where a transfer stands.</summary>
public enum TransferState
{
    /// <summary>A portal write whose receiver has not allowed it yet.</summary>
    Waiting,

    /// <summary>On the wires (or in the software path); arrives at <see cref="TransferRecord.End"/>.</summary>
    InFlight,

    /// <summary>Arrived: the data is in the receiver's buffer.</summary>
    Delivered,

    /// <summary>A waiting portal write whose output was closed before the receiver allowed it: it never left.</summary>
    Cancelled,

    /// <summary>
    /// Lost on the wires (an injected fault, <see cref="INoc.InjectFault"/>): it took its links and time, but nothing
    /// landed. A portal write still consumes the receiver's allow and completes at both ends; a mailbox message is gone.
    /// </summary>
    Failed,
}
