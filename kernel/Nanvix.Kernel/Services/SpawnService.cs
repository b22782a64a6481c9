using System.Buffers.Binary;
using System.Text;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Ikc;

namespace Nanvix.Kernel.Services;

/// <summary>
/// The spawn service of the multikernel, on the third node of IO0: a program asks it (by mailbox) to start a
/// registered program on a compute cluster; the service sends the image to that cluster (charged as one portal
/// transfer of the image over the NoC) and starts it there, and answers the new pid, or a negative errno, to the
/// kernel port of the asking node. Programs are registered by name (<see cref="Register"/>).
/// </summary>
public sealed class SpawnService : IEventTarget
{
    private readonly IProcessor _processor;
    private readonly Func<ICluster, IClusterKernel> _kernelOf;
    private readonly INoc _noc;
    private readonly EventScheduler _scheduler;
    private readonly IMailboxInput _input;
    private readonly IMailboxOutput?[] _outputs;
    private readonly Dictionary<string, byte[]> _programs = new(StringComparer.Ordinal);
    private readonly Queue<(int ReplyNode, int RequestId, int Status)> _answers = new();
    private readonly Dictionary<int, string> _started = [];
    private ulong _busyUntil;

    /// <param name="processor">The processor the service runs on (on its first I/O cluster's third node).</param>
    /// <param name="kernelOf">The kernel of a compute cluster, booted on first use (the multikernel's).</param>
    public SpawnService(IProcessor processor, Func<ICluster, IClusterKernel> kernelOf)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(kernelOf);
        _processor = processor;
        _kernelOf = kernelOf;
        Node = ServiceNodes.Spawn(processor);
        if (Node < 0)
        {
            throw new ArgumentException($"{processor.Spec.Name} has no I/O cluster with a third node for the spawn service");
        }

        _noc = processor.Noc;
        _scheduler = processor.Scheduler;
        _outputs = new IMailboxOutput?[_noc.Spec.Topology.NodeCount];
        _input = _noc.CreateMailbox(Node);
        _input.Notify(this, -1);
    }

    /// <summary>The NoC node the service listens on.</summary>
    public int Node { get; }

    /// <summary>Processes started on request.</summary>
    public int Spawned { get; private set; }

    /// <summary>The name each process started on request was registered by (<see cref="Register"/>), by pid.</summary>
    public IReadOnlyDictionary<int, string> Started => _started;

    /// <summary>Makes <paramref name="elf"/> startable by <paramref name="name"/> (1-39 characters).</summary>
    public void Register(string name, byte[] elf)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) > KernelConstants.MaxNameLength)
        {
            throw new ArgumentException($"program name '{name}' is longer than {KernelConstants.MaxNameLength} bytes");
        }

        _programs[name] = elf;
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        if (argument >= 0)
        {
            (int replyNode, int requestId, int status) = _answers.Dequeue();
            Answer(replyNode, requestId, status);
            return;
        }

        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (_input.TryRead(message, out MailboxMessage info))
        {
            ReadOnlySpan<byte> body = message[KernelConstants.MailboxHeaderBytes..info.Length];
            if (body.Length < NameMessage.RequestHeader || body.Length < NameMessage.RequestHeader + body[1])
            {
                continue;
            }

            int replyNode = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
            int requestId = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
            int target = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]);
            string[] words = Encoding.UTF8.GetString(body.Slice(NameMessage.RequestHeader, body[1])).Split('\0');
            ulong start = Math.Max(cycle, _busyUntil) + KernelConstants.SpawnServiceCycles;
            int status = Start(target, words, start, out ulong ready);
            _busyUntil = start;
            _answers.Enqueue((replyNode, requestId, status));
            _scheduler.Schedule(Math.Max(ready, start), this, 0, "service.spawn.answer");
        }
    }

    /// <summary>Starts program words[0] (with words[1..] as arguments) on the cluster of node <paramref name="target"/>.</summary>
    private int Start(int target, string[] words, ulong start, out ulong ready)
    {
        ready = start;
        if (!_programs.TryGetValue(words[0], out byte[]? elf))
        {
            return -Errno.ENOENT;
        }

        ICluster? cluster = _processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.Compute && c.NocNodes.Contains(target));
        if (cluster is null)
        {
            return -Errno.EINVAL;
        }

        try
        {
            ElfImage image = ElfImage.Parse(elf, cluster.Memory.Map[MemoryRegionNames.User].Size);

            // A segment over the stacks, a guard page or the kernel's half is a bad executable, not a lack of memory.
            try
            {
                Proc.ProgramLoader.CheckPlacement(image);
            }
            catch (KernelException)
            {
                return -Errno.ENOEXEC;
            }

            // The image crosses the NoC from IO0 to the cluster as one portal transfer before the program can start.
            ready = start + _noc.ModelCycles(TransferKind.Portal, elf.Length, _noc.Spec.Topology.Hops(Node, target));
            int pid = _kernelOf(cluster).Spawn(image, words, ready);
            Spawned++;
            _started[pid] = words[0];
            return pid;
        }
        catch (KernelException)
        {
            return -Errno.ENOMEM;
        }
        catch (ElfFormatException)
        {
            return -Errno.ENOEXEC;
        }
    }

    private void Answer(int replyNode, int requestId, int status)
    {
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + NameMessage.AnswerBytes];
        MailboxHeader.Write(message, NameMessage.AnswerBytes, KernelConstants.KernelPort, Node);
        NameMessage.WriteAnswer(message[KernelConstants.MailboxHeaderBytes..], requestId, status, 0, 0, 0);
        try
        {
            (_outputs[replyNode] ??= _noc.OpenMailbox(Node, replyNode)).Write(message);
        }
        catch (NocException)
        {
            // The asking kernel is gone.
        }
    }
}
