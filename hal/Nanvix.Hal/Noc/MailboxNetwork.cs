using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// The mailboxes: it owns the table of each node's open mailbox input and a message's path, from the write (checked,
/// its payload copied into a slot of the receiver's input, launched) to the arrival (readable at the input, or its slot
/// freed when a fault took it, or nothing when the input was closed meanwhile).
/// </summary>
internal sealed class MailboxNetwork : ConnectorNetwork
{
    private readonly MailboxInput?[] _inputOf;

    public MailboxNetwork(NocSpec spec, EventScheduler scheduler, TransferLog log, NocTimingModel timing, FaultInjector faults)
        : base(spec, scheduler, log, timing, faults, NetworkOnChip.MailboxArrivalLabel)
    {
        _inputOf = new MailboxInput?[Topology.NodeCount];
    }

    /// <summary>The mailbox input of <paramref name="localNode"/>; one per node at a time.</summary>
    public MailboxInput Create(int localNode)
    {
        Topology.CheckNode(localNode);
        if (_inputOf[localNode] is not null)
        {
            throw new NocException($"node {localNode} already has an open mailbox input");
        }

        var input = new MailboxInput(this, localNode, Spec.MailboxPayloadBytes, NetworkOnChip.MailboxSlots);
        _inputOf[localNode] = input;
        return input;
    }

    /// <summary>A mailbox output from <paramref name="localNode"/> to <paramref name="remoteNode"/>.</summary>
    public MailboxOutput Open(int localNode, int remoteNode)
    {
        Topology.CheckNode(localNode);
        Topology.CheckNode(remoteNode);
        return new MailboxOutput(this, localNode, remoteNode);
    }

    /// <summary>True when <paramref name="node"/> has an open mailbox input with no free slot.</summary>
    [KernelHotPath]
    internal bool IsFull(int node) => _inputOf[node] is { IsFull: true };

    /// <summary>Posts and launches a message of <paramref name="output"/>; returns its transfer id.</summary>
    internal int Write(MailboxOutput output, ReadOnlySpan<byte> payload)
    {
        int source = output.LocalNode;
        int target = output.RemoteNode;
        if (payload.Length > Spec.MailboxPayloadBytes)
        {
            throw new NocException(
                $"mailbox message of {payload.Length} bytes from node {source} to node {target} is larger than the {Spec.MailboxPayloadBytes}-byte mailbox payload");
        }

        MailboxInput? input = _inputOf[target];
        if (input is null)
        {
            throw new NocException($"mailbox message from node {source}: node {target} has no open mailbox input");
        }

        if (input.IsFull)
        {
            throw new NocException($"mailbox of node {target} is full ({NetworkOnChip.MailboxSlots} messages in flight or unread)");
        }

        int id = Log.Post(TransferKind.Mailbox, source, target, payload.Length, Spec.MailboxMessageBytes, 1);
        Log.Ends(id).Mailbox = input;
        Log.Ends(id).Slot = input.Reserve(source, payload, id);
        Launch(id);
        return id;
    }

    /// <summary>Frees the node's input slot of a closed input (unless another input took it already).</summary>
    internal void OnClosed(MailboxInput input)
    {
        if (_inputOf[input.LocalNode] == input)
        {
            _inputOf[input.LocalNode] = null;
        }
    }

    /// <inheritdoc/>
    [KernelHotPath]
    protected override void Arrive(int id, in TransferRecord record, in TransferEnds ends, ulong cycle)
    {
        MailboxInput input = ends.Mailbox!;
        if (input.IsClosed)
        {
            return;
        }

        if (ends.Faulted)
        {
            input.Drop(ends.Slot);
            return;
        }

        input.Arrive(ends.Slot, cycle);
        input.Raise(cycle);
    }
}
