using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using static Nanvix.Kernel.Tests.Units.MailboxMessages;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// A page leak of <see cref="MailboxOrdering"/> found by these unit tests and fixed (2026-12-02): a chained page of
/// held messages that empties goes back to the pool at once, so a held count that falls and grows again loses nothing.
/// </summary>
public sealed class MailboxOrderingLeakTests
{
    [Fact]
    public void A_chained_held_page_that_empties_goes_back_to_the_pool_and_the_held_count_may_grow_again()
    {
        // Before the fix, RemoveHeld freed the held chain only when the held count fell to exactly 29: held 61 -> 60
        // left the second chained page (now empty) linked, and the next early message chained a new page over it.
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
