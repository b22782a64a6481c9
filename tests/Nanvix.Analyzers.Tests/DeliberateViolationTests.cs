using System.Diagnostics;

namespace Nanvix.Analyzers.Tests;

/// <summary>
/// End to end: a real project that uses the built analyzer and breaks a rule must fail `dotnet build` with the
/// rule's id, the way arch/, hal/ and kernel/ would. The project lives in a temporary folder and loads the
/// analyzer assembly copied next to these tests, so it builds nothing of the solution.
/// </summary>
public sealed class DeliberateViolationTests
{
    [Fact]
    public void Build_of_kernel_code_with_a_violation_fails_with_the_diagnostic()
    {
        string folder = Directory.CreateTempSubdirectory("nanvix-violation-").FullName;
        try
        {
            string analyzer = Path.Combine(AppContext.BaseDirectory, "Nanvix.Analyzers.dll");
            File.WriteAllText(Path.Combine(folder, "Violation.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <NanvixKernelCode>true</NanvixKernelCode>
                  </PropertyGroup>
                  <ItemGroup>
                    <CompilerVisibleProperty Include="NanvixKernelCode" />
                    <Analyzer Include="{analyzer}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, "Scheduler.cs"), """
                public sealed class Scheduler
                {
                    [Nanvix.KernelHotPath]
                    public int Pick(int[] ready) => ready.Length + new object().GetHashCode();
                }
                """);

            (int exitCode, string output) = DotnetBuild(folder);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("error NNX001", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int ExitCode, string Output) DotnetBuild(string folder)
    {
        var start = new ProcessStartInfo("dotnet", ["build", folder, "-nologo", "-v:q", "-p:NuGetAudit=false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };

        // The test host's MSBuild variables would point the child build at the wrong SDK pieces.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        using Process build = Process.Start(start)!;
        Task<string> error = build.StandardError.ReadToEndAsync();
        string output = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        return (build.ExitCode, output + error.Result);
    }
}
