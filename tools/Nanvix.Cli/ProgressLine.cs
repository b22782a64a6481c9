using System.Diagnostics;
using System.Globalization;

namespace Nanvix.Cli;

/// <summary>
/// The progress line of a long run on a terminal's stderr: from <see cref="After"/> of host time on, once every
/// <see cref="Every"/>, the simulated cycles, the instructions retired and the host's speed, rewritten in place.
/// </summary>
internal sealed class ProgressLine(TextWriter error)
{
    /// <summary>A run shorter than this shows no progress at all.</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(2);

    /// <summary>How often the line is rewritten.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _next = After;
    private int _width;

    /// <summary>Rewrites the line when it is time to.</summary>
    public void Show(ulong cycles, ulong instructions)
    {
        TimeSpan elapsed = _watch.Elapsed;
        if (elapsed < _next)
        {
            return;
        }

        _next = elapsed + Every;
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"nanvix: {cycles:N0} cycles, {instructions:N0} instructions, {instructions / elapsed.TotalSeconds / 1e6:0} M instructions/s (host {elapsed.TotalSeconds:0} s)");
        error.Write('\r' + line.PadRight(_width));
        _width = line.Length;
        error.Flush();
    }

    /// <summary>Blanks the line, so that what follows starts at the left margin.</summary>
    public void Clear()
    {
        if (_width > 0)
        {
            error.Write('\r' + new string(' ', _width) + '\r');
            error.Flush();
            _width = 0;
        }
    }
}
