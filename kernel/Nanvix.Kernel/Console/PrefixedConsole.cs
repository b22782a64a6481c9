using System.Text;

namespace Nanvix.Kernel.Console;

/// <summary>
/// A console that puts a prefix (the cluster's name) before every line a program writes, so that the output of
/// programs on several clusters can be told apart. Bytes are kept until their line is complete; <see cref="Flush"/>
/// writes what is left of an unfinished line.
/// </summary>
public sealed class PrefixedConsole(string prefix, TextWriter output, TextWriter error) : IConsole
{
    private readonly StringBuilder _outputLine = new();
    private readonly StringBuilder _errorLine = new();
    private readonly Decoder _outputDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _errorDecoder = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[1024];

    public void Write(int pid, int fd, ReadOnlySpan<byte> bytes)
    {
        bool toError = fd == 2;
        StringBuilder line = toError ? _errorLine : _outputLine;
        Decoder decoder = toError ? _errorDecoder : _outputDecoder;
        TextWriter writer = toError ? error : output;
        while (!bytes.IsEmpty)
        {
            decoder.Convert(bytes, _chars, flush: false, out int used, out int produced, out _);
            bytes = bytes[used..];
            for (int i = 0; i < produced; i++)
            {
                line.Append(_chars[i]);
                if (_chars[i] == '\n')
                {
                    writer.Write($"[{prefix}] {line}");
                    line.Clear();
                }
            }
        }

        writer.Flush();
    }

    public int Read(int pid, Span<byte> buffer) => 0;

    /// <summary>Writes an unfinished last line, ended with a newline.</summary>
    public void Flush()
    {
        if (_outputLine.Length > 0)
        {
            output.WriteLine($"[{prefix}] {_outputLine}");
            _outputLine.Clear();
        }

        if (_errorLine.Length > 0)
        {
            error.WriteLine($"[{prefix}] {_errorLine}");
            _errorLine.Clear();
        }
    }
}
