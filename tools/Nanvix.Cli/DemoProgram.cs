namespace Nanvix.Cli;

/// <summary>
/// The built-in multithreaded demo (<c>user/bin/demo.elf</c>), embedded in the CLI so that <c>nanvix run</c> works
/// on a machine with only the .NET SDK.
/// </summary>
public static class DemoProgram
{
    /// <summary>argv[0] of the demo, and its name in reports.</summary>
    public const string Name = "demo";

    /// <summary>The manifest resource name given in Nanvix.Cli.csproj.</summary>
    private const string ResourceName = "demo.elf";

    /// <summary>The bytes of the embedded image.</summary>
    public static byte[] Image()
    {
        // A manifest resource is plain data in the binary: NativeAOT keeps it, and reading it needs no reflection
        // over types.
        using Stream stream = typeof(DemoProgram).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the '{ResourceName}' resource is missing from the nanvix binary");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
