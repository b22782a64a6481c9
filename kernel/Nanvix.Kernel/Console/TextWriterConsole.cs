using System.Text;

namespace Nanvix.Kernel.Console;

/// <summary>
/// A console over text writers, for the command line and for tests: the bytes a program writes are decoded as
/// UTF-8 (a character split across two writes is kept until its last byte comes), fd 0 reads from a stream.
/// </summary>
public sealed class TextWriterConsole(TextWriter output, TextWriter error, Stream? input) : IConsole
{
    private readonly Decoder _outputDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _errorDecoder = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[1024];

    public void Write(int pid, int fd, ReadOnlySpan<byte> bytes)
    {
        TextWriter writer = fd == 2 ? error : output;
        Decoder decoder = fd == 2 ? _errorDecoder : _outputDecoder;
        while (!bytes.IsEmpty)
        {
            decoder.Convert(bytes, _chars, flush: false, out int used, out int produced, out _);
            writer.Write(_chars, 0, produced);
            bytes = bytes[used..];
        }

        writer.Flush();
    }

    public int Read(int pid, Span<byte> buffer) => input?.Read(buffer) ?? 0;
}
