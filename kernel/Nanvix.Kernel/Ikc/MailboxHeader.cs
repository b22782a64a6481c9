using System.Buffers.Binary;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The kernel's 8-byte header before every mailbox message: length (2 bytes), destination port (1), ingress node + 1
/// (1; 0 until the first kernel the message reaches stamps it), source node (2), stamp (2, that kernel's count for the
/// port). Kernels, services and the migration daemons all write it here.
/// </summary>
public static class MailboxHeader
{
    /// <summary>Writes an unstamped header for a message of <paramref name="length"/> bytes to <paramref name="port"/>, sent from <paramref name="node"/>.</summary>
    public static void Write(Span<byte> message, int length, int port, int node)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message, (ushort)length);
        message[2] = (byte)port;
        message[3] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], (ushort)node);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], 0);
    }
}
