using System.Text.Json;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// One value of one option in a sweep file (a base option or one element of an axis), checked when read: how it
/// changes a run's options, how the table shows it, and its JSON as the file wrote it (re-encoded compactly).
/// </summary>
/// <param name="Option">The option it sets ("layout", "args", ...).</param>
/// <param name="Json">The value as compact JSON, for the plan and the merged table.</param>
/// <param name="Text">The value in a CSV cell: a string as it is, a list joined by spaces, a number in digits.</param>
/// <param name="Apply">Sets the option in a run's options.</param>
public sealed record SweepValue(string Option, string Json, string Text, Func<SweepOptions, SweepOptions> Apply);
