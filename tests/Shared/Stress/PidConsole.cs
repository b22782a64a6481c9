using System.Text;
using Nanvix.Kernel.Console;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>One console for every cluster that keeps each process's output apart, wherever the process runs when it writes.</summary>
internal sealed class PidConsole : IConsole
{
    private readonly Dictionary<int, StringBuilder> _output = [];

    public void Write(int pid, int fd, ReadOnlySpan<byte> bytes)
    {
        if (!_output.TryGetValue(pid, out StringBuilder? text))
        {
            _output[pid] = text = new StringBuilder();
        }

        text.Append(Encoding.UTF8.GetString(bytes));
    }

    public int Read(int pid, Span<byte> buffer) => 0;

    /// <summary>The lines process <paramref name="pid"/> wrote (to stdout or stderr), in order.</summary>
    public string[] Lines(int pid) =>
        _output.TryGetValue(pid, out StringBuilder? text) ? text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
}
