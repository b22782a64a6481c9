namespace Nanvix.Hal.Noc;

/// <summary>
/// The nanvix timing mode: each transfer costs what the Nanvix software path measured on the real chip
/// (<see cref="NanvixTiming"/>), whatever its route, and never waits for a link. It owns no state but the mailbox
/// order every model keeps.
/// </summary>
internal sealed class NanvixTimingModel : NocTimingModel
{
    public NanvixTimingModel(NocSpec spec)
        : base(spec)
    {
    }

    /// <inheritdoc/>
    public override ulong ModelCycles(TransferKind kind, int bytes, int hops) => Cycles(kind, bytes);

    /// <inheritdoc/>
    [KernelHotPath]
    protected override ulong Travel(in TransferRecord record, ref ulong start) => start + Cycles(record.Kind, record.Bytes);

    private ulong Cycles(TransferKind kind, int bytes) => kind switch
    {
        TransferKind.Mailbox => Spec.Nanvix.MailboxCycles,
        TransferKind.Sync => Spec.Nanvix.SyncCycles,
        _ => Spec.Nanvix.PortalCycles(bytes),
    };
}
