namespace Nanvix.Hal.Noc;

/// <summary>
/// The faults armed by <see cref="INoc.InjectFault"/>, in arming order: it checks what is armed and, at each launch,
/// says whether the transfer is the one a fault was waiting for (counting it against every fault of its kind and pair).
/// </summary>
internal sealed class FaultInjector
{
    private readonly NocTopology _topology;
    private readonly List<ArmedFault> _faults = [];

    /// <param name="topology">The topology whose nodes a fault may name.</param>
    public FaultInjector(NocTopology topology)
    {
        _topology = topology;
    }

    /// <summary>Faults armed that have not taken a transfer yet.</summary>
    public int Pending => _faults.Count;

    /// <summary>Arms the loss of the (<paramref name="skip"/> + 1)-th transfer of <paramref name="kind"/> from <paramref name="source"/> to <paramref name="target"/> launched from now on.</summary>
    public void Arm(TransferKind kind, int source, int target, int skip, int channel = -1)
    {
        if (kind is not (TransferKind.Mailbox or TransferKind.Portal))
        {
            throw new NocException($"cannot inject a fault into {kind} transfers: faults are injected into mailbox and portal transfers");
        }

        _topology.CheckNode(source);
        _topology.CheckNode(target);
        if (skip < 0)
        {
            throw new NocException($"a fault cannot skip {skip} transfers (0 or more)");
        }

        if (channel < -1 || channel >= NetworkOnChip.PortalChannels || (channel >= 0 && kind != TransferKind.Portal))
        {
            throw new NocException($"a fault cannot be armed on channel {channel}: portal channels are 0 to {NetworkOnChip.PortalChannels - 1} (or -1 for any)");
        }

        _faults.Add(new ArmedFault(kind, source, target, skip, channel));
    }

    /// <summary>
    /// Counts a transfer launched now against every armed fault of its kind and pair, in arming order; returns true
    /// when one of them was waiting for exactly this transfer (that fault is then spent).
    /// </summary>
    [KernelHotPath]
    public bool Take(TransferKind kind, int source, int target, int channel)
    {
        bool faulted = false;
        for (int i = 0; i < _faults.Count;)
        {
            ArmedFault fault = _faults[i];
            if (fault.Kind != kind || fault.Source != source || fault.Target != target || (fault.Channel >= 0 && fault.Channel != channel))
            {
                i++;
            }
            else if (fault.Skip == 0)
            {
                faulted = true;
                _faults.RemoveAt(i);
            }
            else
            {
                _faults[i] = fault with { Skip = fault.Skip - 1 };
                i++;
            }
        }

        return faulted;
    }
}
