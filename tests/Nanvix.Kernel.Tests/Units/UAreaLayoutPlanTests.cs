using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>The UArea plan: all of a process's state in its own User Area, the areas one stride apart, then the node's IKC entries.</summary>
public sealed class UAreaLayoutPlanTests : LayoutPlanTests<UAreaLayout>
{
    [Fact]
    public void All_of_a_processs_state_lies_in_its_own_user_area()
    {
        Assert.Equal(0, UAreaLayout.Stride % KernelDataRig.CacheLine);
        Assert.True(UAreaLayout.Stride >= UArea.Size);
        for (int p = 0; p < KernelConstants.MaxProcesses; p++)
        {
            Placement area = Plan.Placements[p];
            Assert.Equal($"uarea[{p}]", area.Name);
            Assert.Equal(Plan.UAreas + (ulong)(p * UAreaLayout.Stride), area.Address);
            Assert.Equal(UArea.Size, area.Size);
            Assert.All(Entries(Plan).Where(e => e.Process == p), e => Assert.True(area.Address <= e.Address && e.End <= area.End, $"{e} outside {area.Name}"));
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(960)]
    [InlineData(4096)]
    public void A_gap_spaces_the_user_areas_and_every_address_follows_it(int gap)
    {
        KernelDataPlan spaced = UAreaLayout.Plan(Plan.UAreas, KernelConstants.MaxProcesses, gap);

        Assert.Equal(UAreaLayout.Stride + gap, spaced.UAreaStride);
        for (int p = 0; p < KernelConstants.MaxProcesses; p++)
        {
            Placement area = spaced.Placements[p];
            Assert.Equal(Plan.UAreas + (ulong)(p * (UAreaLayout.Stride + gap)), area.Address);
            Assert.All(Entries(spaced).Where(e => e.Process == p), e => Assert.True(area.Address <= e.Address && e.End <= area.End, $"{e} outside {area.Name}"));
            Assert.Equal(UAreaLayout.Thread(Plan, p, 5) - Plan.UAreas + (ulong)(p * gap), UAreaLayout.Thread(spaced, p, 5) - spaced.UAreas);
        }

        Assert.True(spaced.Placements[^2].End <= spaced.Ikc);
    }

    [Theory]
    [InlineData(-64)]
    [InlineData(100)]
    public void A_gap_that_is_not_whole_lines_is_refused(int gap)
    {
        Assert.Throws<ArgumentException>(() => UAreaLayout.Plan(Plan.UAreas, KernelConstants.MaxProcesses, gap));
    }

    [Fact]
    public void The_node_entries_are_past_every_user_area()
    {
        Placement node = Plan.Placements[^1];
        Assert.Equal("IKC node entries", node.Name);
        Assert.Equal(Plan.Ikc, node.Address);
        Assert.All(Entries(Plan).Where(e => e.Process < 0), e => Assert.True(node.Address <= e.Address && e.End <= node.End, $"{e}"));
        Assert.True(Plan.Placements[^2].End <= node.Address);
    }
}
