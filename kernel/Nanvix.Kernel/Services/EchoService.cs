using System.Buffers.Binary;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

namespace Nanvix.Kernel.Services;

/// <summary>
/// An echo service on the second node of IO0: every mailbox message it gets goes back to the port it was sent to,
/// on the node it came from. It lets programs on compute clusters measure a round trip with an I/O cluster, as
/// Nanvix's IKC benchmarks do between IO0 and one compute cluster.
/// </summary>
public sealed class EchoService : IEventTarget
{
    private readonly INoc _noc;
    private readonly IMailboxInput _input;
    private readonly IMailboxOutput?[] _outputs;

    public EchoService(IProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ICluster io = processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.IO && c.NocNodes.Count > 1)
            ?? throw new ArgumentException($"{processor.Spec.Name} has no I/O cluster with a second node for the echo service");
        Node = io.NocNodes[1];
        _noc = processor.Noc;
        _outputs = new IMailboxOutput?[_noc.Spec.Topology.NodeCount];
        _input = _noc.CreateMailbox(Node);
        _input.Notify(this, 0);
    }

    /// <summary>The NoC node the service listens on.</summary>
    public int Node { get; }

    /// <summary>Messages echoed.</summary>
    public int Echoed { get; private set; }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (_input.TryRead(message, out MailboxMessage info))
        {
            int source = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
            BinaryPrimitives.WriteUInt16LittleEndian(message[4..], (ushort)Node);
            try
            {
                (_outputs[source] ??= _noc.OpenMailbox(Node, source)).Write(message[..info.Length]);
                Echoed++;
            }
            catch (NocException)
            {
                // The sender's node has no kernel any more: nobody to answer.
            }
        }
    }
}
