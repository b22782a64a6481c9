using Nanvix.Cli;

return NanvixCommand.Run(args, Console.Out, Console.Error, Console.OpenStandardInput());
