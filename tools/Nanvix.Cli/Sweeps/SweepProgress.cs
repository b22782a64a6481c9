using System.Diagnostics;
using System.Globalization;

namespace Nanvix.Cli.Sweeps;

/// <summary>The progress line of a sweep on a terminal's stderr, rewritten in place as runs end; silent without a terminal.</summary>
internal sealed class SweepProgress
{
    private readonly TextWriter? _error;
    private readonly int _total;
    private readonly int _cached;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _done;
    private int _width;

    public SweepProgress(TextWriter? error, int total, int cached)
    {
        _error = error;
        _total = total;
        _cached = cached;
        _done = cached;
        Show();
    }

    /// <summary>One more run has its result.</summary>
    public void Done()
    {
        lock (_gate)
        {
            _done++;
            Show();
        }
    }

    /// <summary>Blanks the line, so that what follows starts at the left margin.</summary>
    public void Clear()
    {
        if (_error is not null && _width > 0)
        {
            _error.Write('\r' + new string(' ', _width) + '\r');
            _error.Flush();
            _width = 0;
        }
    }

    private void Show()
    {
        if (_error is null)
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"nanvix: sweep: {_done} of {_total} runs done ({_cached} cached), host {_watch.Elapsed.TotalSeconds:0} s");
        _error.Write('\r' + line.PadRight(_width));
        _width = line.Length;
        _error.Flush();
    }
}
