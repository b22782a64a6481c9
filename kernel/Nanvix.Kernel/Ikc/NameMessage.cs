using System.Buffers.Binary;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The wire format between kernels and the name service, inside a mailbox message after the kernel's 8-byte
/// header. Request: op, name length, reply node, request id, port, pid, name. Answer (to the kernel port of the
/// reply node): request id, status (0 or a negative errno), node, port, pid.
/// </summary>
public static class NameMessage
{
    public const int RequestHeader = 16;
    public const int AnswerBytes = 16;

    public static int WriteRequest(Span<byte> body, NameOperation operation, int replyNode, int requestId, int port, int pid, ReadOnlySpan<byte> name)
    {
        body[0] = (byte)operation;
        body[1] = (byte)name.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], (ushort)replyNode);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], requestId);
        BinaryPrimitives.WriteUInt16LittleEndian(body[8..], (ushort)port);
        BinaryPrimitives.WriteUInt16LittleEndian(body[10..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], pid);
        name.CopyTo(body[RequestHeader..]);
        return RequestHeader + name.Length;
    }

    public static void WriteAnswer(Span<byte> body, int requestId, int status, int node, int port, int pid)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body, requestId);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], status);
        BinaryPrimitives.WriteUInt16LittleEndian(body[8..], (ushort)node);
        BinaryPrimitives.WriteUInt16LittleEndian(body[10..], (ushort)port);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], pid);
    }
}
