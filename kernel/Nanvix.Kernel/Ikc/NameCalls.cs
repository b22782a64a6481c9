using System.Buffers.Binary;
using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Services;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The kernel's side of the multikernel services: a link, unlink or lookup (name service) or a spawn (spawn
/// service) parks the calling thread and goes to the service on IO0 as a mailbox message; the answer (to this
/// node's kernel port) wakes the thread. The request id is the thread's (slot, tid), unique while it waits.
/// </summary>
internal sealed class NameCalls<TLayout>(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, MailboxCalls<TLayout> mailboxes, int node, int serviceNode, int spawnNode)
    where TLayout : struct, IProcessLayout
{
    /// <summary>Checks the name and parks the caller; the request leaves at <paramref name="now"/> through <see cref="Send"/>.</summary>
    public CallResult Request(int slot, int tid, uint name, ulong now)
    {
        if (serviceNode < 0)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        Span<byte> text = stackalloc byte[KernelConstants.MaxNameLength + 1];
        int length = ReadName(slot, name, text);
        if (length < 0)
        {
            return CallResult.Error(-length);
        }

        threads.Block(slot, tid, WaitKind.Service, RequestId(slot, tid));
        events.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    /// <summary>Checks a spawn request (program name and optional argument) and parks the caller until the answer.</summary>
    public CallResult RequestSpawn(int slot, int tid, uint node, uint name, uint argument, ulong now)
    {
        if (spawnNode < 0)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        Span<byte> text = stackalloc byte[KernelConstants.MaxNameLength + 1];
        int length = ReadName(slot, name, text);
        int extra = argument == 0 ? 0 : ReadName(slot, argument, text);
        if (length < 0 || extra < 0)
        {
            return CallResult.Error(-Math.Min(length, extra));
        }

        if (node > ushort.MaxValue)
        {
            return CallResult.Error(Errno.EINVAL);
        }

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

    /// <summary>The zero-terminated name at <paramref name="address"/>: its length, or a negative errno.</summary>
    private int ReadName(int slot, uint address, Span<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!procs.User(slot).CopyFrom(address + (uint)i, text.Slice(i, 1)))
            {
                return -Errno.EFAULT;
            }

            if (text[i] == 0)
            {
                return i == 0 ? -Errno.EINVAL : i;
            }
        }

        return -Errno.ENAMETOOLONG;
    }
}
