using System.Buffers.Binary;
using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Services;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The kernel's side of the multikernel services: a link, unlink or lookup (name service) or a spawn (spawn
/// service) parks the calling thread and goes to the service on IO0 as a mailbox message; the answer (to this
/// node's kernel port) wakes the thread. The request id is the thread's (slot, tid), unique while it waits.
/// </summary>
internal sealed class ServiceRequests<TLayout>(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, Mailboxes<TLayout> mailboxes, int node, int serviceNode, int spawnNode)
    where TLayout : struct, IProcessLayout
{
    /// <summary>True when the machine has a name service (on IO0) to ask.</summary>
    public bool HasNameService => serviceNode >= 0;

    /// <summary>True when the machine has a spawn service (on IO0) to ask.</summary>
    public bool HasSpawnService => spawnNode >= 0;

    /// <summary>
    /// Parks the caller of a checked request (its name, and a spawn's argument, readable from its registers); the
    /// request leaves at <paramref name="now"/> through <see cref="Send"/>, and the answer wakes it.
    /// </summary>
    public CallResult Request(int slot, int tid, ulong now)
    {
        threads.Block(slot, tid, WaitKind.Service, RequestId(slot, tid));
        events.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    public void Send(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref threads.Context(slot, tid);
        if (context.Get(AbiRegister.A7) == KernelCallNumber.Spawn)
        {
            SendSpawn(slot, tid, ref context, now);
            return;
        }

        NameOperation operation = context.Get(AbiRegister.A7) switch
        {
            KernelCallNumber.NameLink => NameOperation.Link,
            KernelCallNumber.NameUnlink => NameOperation.Unlink,
            KernelCallNumber.NameHeartbeat => NameOperation.Heartbeat,
            _ => NameOperation.Lookup,
        };
        Span<byte> text = stackalloc byte[KernelConstants.MaxNameLength + 1];
        int length = ReadName(slot, context.Get(AbiRegister.A0), text);
        if (length < 0)
        {
            threads.Wake(slot, tid, length, now);
            return;
        }

        Span<byte> body = stackalloc byte[NameMessage.RequestHeader + KernelConstants.MaxNameLength];
        int port = operation == NameOperation.Link ? (int)context.Get(AbiRegister.A1) : 0;
        int size = NameMessage.WriteRequest(body, operation, node, RequestId(slot, tid), port, procs.Table[slot].Pid, text[..length]);
        if (!mailboxes.SendRaw(serviceNode, KernelConstants.KernelPort, body[..size]))
        {
            threads.Wake(slot, tid, -Errno.ECONNREFUSED, now);
        }
    }

    /// <summary>An answer of the service reached this node's kernel port: wake the thread that asked.</summary>
    public void Answer(ReadOnlySpan<byte> body, ulong now)
    {
        if (body.Length < NameMessage.AnswerBytes)
        {
            return;
        }

        int requestId = BinaryPrimitives.ReadInt32LittleEndian(body);
        int status = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        int slot = requestId >> 8;
        int tid = requestId & 0xFF;
        if ((uint)slot >= KernelConstants.MaxProcesses || (uint)tid >= KernelConstants.MaxThreads || !procs.Table.IsLive(slot))
        {
            return;
        }

        ThreadEntry thread = threads.Entry(slot, tid);
        if (thread.State != ThreadStatus.Blocked || thread.WaitKind != WaitKind.Service || thread.WaitObject != requestId)
        {
            return;
        }

        ref RegisterContext context = ref threads.Context(slot, tid);
        if (status == 0 && context.Get(AbiRegister.A7) == KernelCallNumber.NameLookup)
        {
            // struct { int node; int port; int pid; } at the caller's pointer.
            Span<byte> result = stackalloc byte[12];
            BinaryPrimitives.WriteInt32LittleEndian(result, BinaryPrimitives.ReadUInt16LittleEndian(body[8..]));
            BinaryPrimitives.WriteInt32LittleEndian(result[4..], BinaryPrimitives.ReadUInt16LittleEndian(body[10..]));
            BinaryPrimitives.WriteInt32LittleEndian(result[8..], BinaryPrimitives.ReadInt32LittleEndian(body[12..]));
            if (!procs.User(slot).CopyTo(context.Get(AbiRegister.A1), result))
            {
                status = -Errno.EFAULT;
            }
        }

        threads.Wake(slot, tid, status, now);
    }

    private void SendSpawn(int slot, int tid, ref RegisterContext context, ulong now)
    {
        // The program's name, a zero, and its argument if it has one.
        Span<byte> words = stackalloc byte[(2 * KernelConstants.MaxNameLength) + 1];
        int length = ReadName(slot, context.Get(AbiRegister.A1), words);
        uint argument = context.Get(AbiRegister.A2);
        if (argument != 0)
        {
            words[length] = 0;
            length += 1 + ReadName(slot, argument, words[(length + 1)..]);
        }

        Span<byte> body = stackalloc byte[NameMessage.RequestHeader + (2 * KernelConstants.MaxNameLength) + 1];
        int size = NameMessage.WriteRequest(body, NameOperation.Spawn, node, RequestId(slot, tid), (int)context.Get(AbiRegister.A0), procs.Table[slot].Pid, words[..length]);
        if (!mailboxes.SendRaw(spawnNode, KernelConstants.KernelPort, body[..size]))
        {
            threads.Wake(slot, tid, -Errno.ECONNREFUSED, now);
        }
    }

    private static int RequestId(int slot, int tid) => (slot << 8) | tid;

    /// <summary>Tells the name service that process <paramref name="pid"/> now lives on this node (no answer comes back).</summary>
    public void Relocated(int pid)
    {
        if (serviceNode < 0)
        {
            return;
        }

        Span<byte> body = stackalloc byte[NameMessage.RequestHeader];
        int size = NameMessage.WriteRequest(body, NameOperation.Relocate, node, -1, 0, pid, []);
        mailboxes.SendRaw(serviceNode, KernelConstants.KernelPort, body[..size]);
    }

    /// <inheritdoc cref="UserAccess.ReadText"/>
    private int ReadName(int slot, uint address, Span<byte> text) => procs.User(slot).ReadText(address, text);
}
