using Nanvix.Hal.Noc;

namespace Nanvix.Kernel.Ikc;

/// <summary>This node's hardware mailbox outputs, one a remote node, opened the first time a message goes there.</summary>
internal sealed class MailboxOutputs(INoc noc, int node)
{
    private readonly IMailboxOutput?[] _outputs = new IMailboxOutput?[noc.Spec.Topology.NodeCount];

    /// <summary>Nodes of the NoC.</summary>
    public int Count => _outputs.Length;

    /// <summary>The output towards <paramref name="remote"/>, opened now if it is not yet (a <see cref="NocException"/> if nobody listens there).</summary>
    [KernelHotPath]
    public IMailboxOutput To(int remote) => _outputs[remote] ??= noc.OpenMailbox(node, remote);

    /// <summary>The output towards <paramref name="remote"/>, which a message went through already.</summary>
    public IMailboxOutput Opened(int remote) => _outputs[remote]!;
}
