namespace Nanvix.Kernel.Proc;

/// <summary>What a process holds beyond its threads and pages (its IKC descriptors): closed when it ends.</summary>
internal interface IProcessDescriptors
{
    /// <summary>Closes every descriptor process <paramref name="pid"/> holds, at cycle <paramref name="now"/>.</summary>
    void CloseAll(int pid, ulong now);
}
