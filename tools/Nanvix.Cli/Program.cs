using System.Runtime.InteropServices;
using Nanvix.Cli;

// SIGINT and SIGTERM stop a run as its budget would (summary, complete statistics, status 128 + the signal); a second
// one ends the process the usual way, for a run that does not get to its next quantum boundary.
var interrupt = new RunInterrupt();
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = interrupt.Request(RunInterrupt.SigInt));
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = interrupt.Request(RunInterrupt.SigTerm));
return NanvixCommand.Run(args, Console.Out, Console.Error, Console.OpenStandardInput(), interrupt, progress: !Console.IsErrorRedirected);
