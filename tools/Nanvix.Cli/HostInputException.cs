namespace Nanvix.Cli;

/// <summary>
/// Bad host input found past parsing (a file that cannot be read, an image that says the wrong thing): the command
/// prints the message as one line <c>nanvix: MESSAGE</c> and exits with <see cref="ExitStatus.BadInput"/>.
/// </summary>
public sealed class HostInputException(string message) : Exception(message);
