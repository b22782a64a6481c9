using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Images;

/// <summary>The D$ accesses of a move's gathering and restoring that are not table entries of a process: its IKC descriptors.</summary>
internal static class ImageAccounting
{
    /// <summary>Counts the accesses to IKC entries <paramref name="ids"/> (their first <paramref name="size"/> bytes), where the layout keeps them, in the serving core's D$.</summary>
    public static void TouchIkc<TLayout>(KernelState<TLayout> state, IEnumerable<int> ids, int size, bool write)
        where TLayout : struct, IProcessLayout
    {
        foreach (int id in ids)
        {
            state.Touch(TLayout.IkcDescriptor(state.Plan, id), size, write, KernelStructure.IkcDescriptors);
        }
    }
}
