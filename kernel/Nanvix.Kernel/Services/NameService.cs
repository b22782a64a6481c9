using System.Buffers.Binary;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

using Nanvix.Kernel.Ikc;

namespace Nanvix.Kernel.Services;

/// <summary>
/// The name service of the multikernel, on the first node of IO0, as in Nanvix: programs link a name to where they
/// listen (node, port) and look names up, so that they find each other wherever they run. Requests come as mailbox
/// messages from the kernels and are served one after another, <see cref="KernelConstants.NameServiceCycles"/> each;
/// answers go back by mailbox to the kernel port of the asking node. Its table lives in IO0's kernel data.
/// </summary>
public sealed class NameService : IEventTarget
{
    private const long Arrival = -1;

    /// <summary>Request id of the requests nobody waits an answer for.</summary>
    private const int NoAnswer = -1;

    private readonly INoc _noc;
    private readonly EventScheduler _scheduler;
    private readonly ClusterMemory _memory;
    private readonly ulong _table;
    private readonly IMailboxInput _input;
    private readonly IMailboxOutput?[] _outputs;
    private readonly Queue<Answer> _answers = new();
    private ulong _busyUntil;

    public NameService(IProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ICluster io = processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.IO)
            ?? throw new ArgumentException($"{processor.Spec.Name} has no I/O cluster for the name service");
        Node = io.NocNodes[0];
        _noc = processor.Noc;
        _scheduler = processor.Scheduler;
        _memory = io.Memory;
        _table = _memory.Map[MemoryRegionNames.KernelData].Base;
        _memory.Bytes(_table, KernelConstants.MaxNames * 64).Clear();
        _outputs = new IMailboxOutput?[_noc.Spec.Topology.NodeCount];
        _input = _noc.CreateMailbox(Node);
        _input.Notify(this, Arrival);
    }

    /// <summary>The NoC node the service listens on.</summary>
    public int Node { get; }

    /// <summary>Requests served.</summary>
    public int Served { get; private set; }


    /// <summary>The NoC node <paramref name="name"/> leads to, or -1 when nobody linked it.</summary>
    public int NodeOfName(string name)
    {
        int found = Find(System.Text.Encoding.UTF8.GetBytes(name));
        return found < 0 ? -1 : Entry(found).Node;
    }

    /// <summary>Heartbeats received for <paramref name="name"/>, or -1 when nobody linked it.</summary>
    public int HeartbeatsOf(string name)
    {
        int found = Find(System.Text.Encoding.UTF8.GetBytes(name));
        return found < 0 ? -1 : Entry(found).Heartbeats;
    }

    /// <summary>
    /// Drops every name that process <paramref name="pid"/> linked: it has ended, so looking its names up must say
    /// ENOENT rather than send peers to a process that is gone. Returns how many were dropped.
    /// </summary>
    public int Forget(int pid)
    {
        int dropped = 0;
        for (int i = 0; i < KernelConstants.MaxNames; i++)
        {
            if (Entry(i).InUse != 0 && Entry(i).Pid == pid)
            {
                Entry(i) = default;
                dropped++;
            }
        }

        return dropped;
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        if (argument != Arrival)
        {
            Reply(_answers.Dequeue());
            return;
        }

        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (_input.TryRead(message, out MailboxMessage info))
        {
            ReadOnlySpan<byte> body = message[KernelConstants.MailboxHeaderBytes..info.Length];
            // Any program can write to this node: a message that is no request, or that names no node to answer, gets none.
            if (body.Length < NameMessage.RequestHeader || body[1] > KernelConstants.MaxNameLength || body.Length < NameMessage.RequestHeader + body[1]
                || BinaryPrimitives.ReadUInt16LittleEndian(body[2..]) >= _outputs.Length)
            {
                continue;
            }

            Answer answer = Serve(body);
            ulong done = Math.Max(cycle, _busyUntil) + KernelConstants.NameServiceCycles;
            _busyUntil = done;
            _answers.Enqueue(answer);
            _scheduler.Schedule(done, this, 0, "service.name.answer");
            Served++;
        }
    }

    private Answer Serve(ReadOnlySpan<byte> body)
    {
        var operation = (NameOperation)body[0];
        int replyNode = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        int requestId = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        int port = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]);
        int pid = BinaryPrimitives.ReadInt32LittleEndian(body[12..]);
        ReadOnlySpan<byte> name = body.Slice(NameMessage.RequestHeader, body[1]);
        int found = Find(name);
        switch (operation)
        {
            case NameOperation.Link:
                if (found >= 0)
                {
                    return new Answer(replyNode, requestId, -Errno.EEXIST, 0, 0, 0);
                }

                int free = FindFree();
                if (free < 0)
                {
                    return new Answer(replyNode, requestId, -Errno.ENOSPC, 0, 0, 0);
                }

                ref NameEntry entry = ref Entry(free);
                entry = default;
                entry.InUse = 1;
                entry.Node = replyNode;
                entry.Port = port;
                entry.Pid = pid;
                entry.Length = name.Length;
                name.CopyTo(entry.Name);
                return new Answer(replyNode, requestId, 0, replyNode, port, pid);
            case NameOperation.Unlink:
                if (found < 0)
                {
                    return new Answer(replyNode, requestId, -Errno.ENOENT, 0, 0, 0);
                }

                if (Entry(found).Pid != pid)
                {
                    return new Answer(replyNode, requestId, -Errno.EPERM, 0, 0, 0);
                }

                Entry(found) = default;
                return new Answer(replyNode, requestId, 0, 0, 0, 0);
            case NameOperation.Heartbeat:
                if (found < 0)
                {
                    return new Answer(replyNode, requestId, -Errno.ENOENT, 0, 0, 0);
                }

                if (Entry(found).Pid != pid)
                {
                    return new Answer(replyNode, requestId, -Errno.EPERM, 0, 0, 0);
                }

                Entry(found).Heartbeats++;
                return new Answer(replyNode, requestId, 0, 0, 0, 0);
            case NameOperation.Relocate:
                for (int i = 0; i < KernelConstants.MaxNames; i++)
                {
                    if (Entry(i).InUse != 0 && Entry(i).Pid == pid)
                    {
                        Entry(i).Node = replyNode;
                    }
                }

                return new Answer(replyNode, NoAnswer, 0, 0, 0, 0);
            case NameOperation.Lookup:
                return found < 0
                    ? new Answer(replyNode, requestId, -Errno.ENOENT, 0, 0, 0)
                    : new Answer(replyNode, requestId, 0, Entry(found).Node, Entry(found).Port, Entry(found).Pid);
            default:
                return new Answer(replyNode, requestId, -Errno.EINVAL, 0, 0, 0);
        }
    }

    private void Reply(Answer answer)
    {
        if (answer.RequestId == NoAnswer)
        {
            return;
        }

        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + NameMessage.AnswerBytes];
        MailboxHeader.Write(message, NameMessage.AnswerBytes, KernelConstants.KernelPort, Node);
        NameMessage.WriteAnswer(message[KernelConstants.MailboxHeaderBytes..], answer.RequestId, answer.Status, answer.Node, answer.Port, answer.Pid);
        try
        {
            (_outputs[answer.ReplyNode] ??= _noc.OpenMailbox(Node, answer.ReplyNode)).Write(message);
        }
        catch (NocException)
        {
            // The asking kernel is gone (or its queue is full): nobody is left to answer.
        }
    }

    private ref NameEntry Entry(int index) => ref _memory.At<NameEntry>(_table + (ulong)(index * 64));

    private int Find(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < KernelConstants.MaxNames; i++)
        {
            ref NameEntry entry = ref Entry(i);
            if (entry.InUse != 0 && entry.Length == name.Length && ((ReadOnlySpan<byte>)entry.Name)[..entry.Length].SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    private int FindFree()
    {
        for (int i = 0; i < KernelConstants.MaxNames; i++)
        {
            if (Entry(i).InUse == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct Answer(int ReplyNode, int RequestId, int Status, int Node, int Port, int Pid);
}
