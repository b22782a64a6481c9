using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using static Nanvix.Kernel.Tests.Units.MailboxMessages;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// A known bug of <see cref="MailboxOrdering"/>, pinned by a test that fails until it is fixed (then this test joins
/// <see cref="MailboxOrderingTests"/>, and the property test there checks the pool on every sample again).
/// </summary>
public sealed class MailboxOrderingLeakTests
{
    [Fact]
    public void Bug_a_chained_held_page_no_longer_needed_leaks_when_the_held_count_grows_back_past_it()
    {
        // KNOWN BUG (reported, not fixed here): RemoveHeld frees the held chain only when the held count falls to
        // exactly 29. Held 61 → 60 leaves the second chained page (now empty) linked; the next early message at 60
        // held chains a new page over that link, and the old one is lost to the pool for good: neither the ordering's
        // taking of held turns nor Free find it again. This test fails until MailboxOrdering is fixed.
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, MailboxOrderingTests.Node);
        int free = rig.KernelPages.FreeCount;
        MailboxEntry entry = NewInput(rig);

        // One message held from node 1, sixty from node 2: 61 held, two chained pages.
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(1, 1, 1)));
        for (int s = 1; s <= 60; s++)
        {
            Assert.False(parts.Ordering.Accept(ref entry, Stamped(2, s, s)));
        }

        Assert.Equal(61, entry.Held);

        // Node 1's gap filled: its held one goes, 60 stay held. Then node 2 sends one more ahead of its turn.
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(1, 0, 0)));
        Assert.Equal(60, entry.Held);
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(2, 61, 61)));
        Assert.Equal(61, entry.Held);
        Assert.Equal(free - 4, rig.KernelPages.FreeCount);

        // Node 2's gap filled: everything is queued, and the queue and ordering pages freed give the pool back whole.
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(2, 0, 0)));
        Assert.Equal(0, entry.Held);
        Assert.Equal(64, entry.Count);
        parts.Ordering.Free(entry);
        parts.Queue.Free(entry);

        Assert.Equal(free, rig.KernelPages.FreeCount);
    }
}
