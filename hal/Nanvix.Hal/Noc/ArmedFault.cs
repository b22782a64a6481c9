namespace Nanvix.Hal.Noc;

/// <summary>A fault armed by <see cref="INoc.InjectFault"/> that has not taken its transfer yet.</summary>
/// <param name="Kind">Mailbox or portal.</param>
/// <param name="Source">Node the lost transfer leaves from.</param>
/// <param name="Target">Node it is sent to.</param>
/// <param name="Skip">Transfers of that kind and pair still to launch untouched before the one that is lost.</param>
/// <param name="Channel">The portal channel the transfer goes on, or -1 for any (mailbox faults: -1).</param>
internal readonly record struct ArmedFault(TransferKind Kind, int Source, int Target, int Skip, int Channel = -1);
