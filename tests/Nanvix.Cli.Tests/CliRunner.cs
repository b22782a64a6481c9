namespace Nanvix.Cli.Tests;

/// <summary>Runs the <c>nanvix</c> command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Status, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int status = NanvixCommand.Run(args, output, error);
        return (status, output.ToString(), error.ToString());
    }
}
