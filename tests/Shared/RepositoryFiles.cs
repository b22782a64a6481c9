namespace Nanvix.Tests.Shared;

/// <summary>Finds files of the repository (the committed user programs) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static byte[] UserProgram(string name) => File.ReadAllBytes(UserProgramPath(name));

    public static string UserProgramPath(string name) => Path.Combine(Root, "user", "bin", name + ".elf");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nanvix.Native.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Nanvix.Native.sln) above " + AppContext.BaseDirectory);
    }
}
