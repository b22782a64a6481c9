namespace Nanvix.Hal.Noc;

/// <summary>
/// Parameters of the nanvix timing mode: costs of the Nanvix software path fitted from measurements on the real
/// chip. A portal transfer of N bytes costs <c>PortalAlphaCycles + ceil(N * PortalBetaCentiCyclesPerByte / 100)</c>.
/// </summary>
/// <param name="PortalAlphaCycles">Fixed cost of one portal transfer.</param>
/// <param name="PortalBetaCentiCyclesPerByte">Cost per byte of a portal transfer, in hundredths of a cycle (integer, so runs are exact).</param>
/// <param name="MailboxCycles">One-way cost of one mailbox message.</param>
/// <param name="SyncCycles">One-way cost of one sync signal.</param>
public sealed record NanvixTiming(ulong PortalAlphaCycles, ulong PortalBetaCentiCyclesPerByte, ulong MailboxCycles, ulong SyncCycles)
{
    /// <summary>Cycles of one portal transfer of <paramref name="bytes"/> bytes.</summary>
    public ulong PortalCycles(int bytes) => PortalAlphaCycles + (((ulong)bytes * PortalBetaCentiCyclesPerByte) + 99) / 100;
}
