namespace Nanvix.Hal.Machine;

/// <summary>The machines a user can name on the command line.</summary>
public static class MachineCatalog
{
    /// <summary>Valid values of <c>--machine</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mppa256.MachineName, SmallManycore.MachineName];

    /// <summary>The processor called <paramref name="name"/> with its default settings.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ProcessorSpec Get(string name) => name.ToLowerInvariant() switch
    {
        Mppa256.MachineName => Mppa256.Spec(),
        SmallManycore.MachineName => SmallManycore.Spec(),
        _ => throw new ArgumentException($"unknown machine '{name}' (known machines: {string.Join(", ", Names)})"),
    };
}
