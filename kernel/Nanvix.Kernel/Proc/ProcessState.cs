namespace Nanvix.Kernel.Proc;

/// <summary>Life of a process slot.</summary>
public enum ProcessState
{
    Free = 0,
    Ready = 1,
    Exited = 2,
}
