using BenchmarkDotNet.Attributes;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;

namespace Nanvix.Bench.Noc;

/// <summary>
/// Host cost of the NoC model: one mailbox message posted, delivered by the event scheduler and read; one 4 KB portal
/// chunk allowed, written, delivered (the bytes copied between two clusters' memories) and completed. CC0 → CC1 on
/// the MPPA-256, in both timing modes.
/// </summary>
[MemoryDiagnoser]
public class NocBenchmarks
{
    private const int ChunkBytes = 4096;

    private readonly byte[] _message = new byte[Mppa256.MailboxPayloadBytes];
    private readonly byte[] _received = new byte[Mppa256.MailboxPayloadBytes];
    private Processor _processor = null!;
    private IMailboxInput _mailboxIn = null!;
    private IMailboxOutput _mailboxOut = null!;
    private IPortalInput _portalIn = null!;
    private IPortalOutput _portalOut = null!;
    private ulong _userBase;
    private int _sourceNode;

    [Params(NocTimingMode.Hardware, NocTimingMode.Nanvix)]
    public NocTimingMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _processor = new Processor(Mppa256.Spec(), Mode);
        ICluster from = _processor.Cluster("CC0");
        ICluster to = _processor.Cluster("CC1");
        _sourceNode = from.NocNodes[0];
        int target = to.NocNodes[0];
        _userBase = from.Memory.Map[MemoryRegionNames.User].Base;
        _mailboxIn = _processor.Noc.CreateMailbox(target);
        _mailboxOut = _processor.Noc.OpenMailbox(_sourceNode, target);
        _portalIn = _processor.Noc.CreatePortal(target);
        _portalOut = _processor.Noc.OpenPortal(_sourceNode, target);
        new Random(42).NextBytes(from.Memory.Bytes(_userBase, ChunkBytes));
    }

    [GlobalCleanup]
    public void Cleanup() => _processor.Dispose();

    [Benchmark(Description = "mailbox send+receive (128 B)")]
    public int MailboxSendReceive()
    {
        _mailboxOut.Write(_message);
        _processor.Scheduler.RunUntilIdle();
        _mailboxIn.TryRead(_received, out MailboxMessage message);
        return message.Length;
    }

    [Benchmark(Description = "portal 4 KB chunk")]
    public int PortalChunk()
    {
        _portalIn.Allow(_sourceNode, _userBase, ChunkBytes);
        _portalOut.Write(_userBase, ChunkBytes);
        _processor.Scheduler.RunUntilIdle();
        _portalIn.TryComplete(out int bytes, out _);
        return bytes;
    }
}
