using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Tests;

/// <summary>Mapping rules of <see cref="AddressSpace"/>: a mapped page is never remapped or widened, reserved pages never mapped.</summary>
public sealed class AddressSpaceTests
{
    [Fact]
    public void Mapping_a_mapped_page_again_is_refused_and_keeps_its_frame_and_permissions()
    {
        using var rig = new AddressSpaceRig();
        Assert.Equal(MapResult.Mapped, rig.Space.MapNew(0x10000, PagePermissions.ReadExecute));
        (uint frame, PagePermissions before) = rig.Mapping(0x10000)!.Value;
        int free = rig.Frames.FreeCount;

        Assert.Equal(MapResult.AlreadyMapped, rig.Space.MapNew(0x10000, PagePermissions.ReadWrite));

        Assert.Equal((frame, before), rig.Mapping(0x10000));
        Assert.Equal(PagePermissions.ReadExecute, before);
        Assert.False(rig.Space.TryTranslate(0x10010, PagePermissions.Write, out _));
        Assert.Equal(free, rig.Frames.FreeCount);
    }

    [Fact]
    public void A_restricted_page_cannot_be_widened_again_by_mapping_it()
    {
        using var rig = new AddressSpaceRig();
        Assert.Equal(MapResult.Mapped, rig.Space.MapNew(0x10000, PagePermissions.ReadWrite | PagePermissions.Execute));
        rig.Space.Restrict(0x10000, PagePermissions.Write);

        Assert.Equal(MapResult.AlreadyMapped, rig.Space.MapNew(0x10000, PagePermissions.ReadWrite | PagePermissions.Execute));

        Assert.Equal(PagePermissions.ReadExecute, rig.Mapping(0x10000)!.Value.Permissions);
    }

    public static TheoryData<uint, bool> Pages => new()
    {
        { 0x0000_0000, true },   // the null page
        { 0x0000_1000, false },  // the lowest page a program may use
        { 0x7FFD_A000, false },  // the highest page a program or its heap may use
        { 0x7FFD_B000, true },   // guard page of thread 17's stack
        { 0x7FFD_C000, false },  // thread 17's stack
        { 0x7FFF_B000, true },   // guard page of thread 1's stack
        { 0x7FFF_C000, false },  // thread 1's stack
        { 0x7FFF_D000, true },   // guard page of the main stack
        { 0x7FFF_E000, false },  // the main stack
        { 0x7FFF_F000, false },  // its top page
        { 0x8000_0000, true },   // the kernel's half
        { 0xFFFF_F000, true },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void Reserved_pages_are_never_mapped(uint page, bool reserved)
    {
        using var rig = new AddressSpaceRig();
        int free = rig.Frames.FreeCount;

        MapResult result = rig.Space.MapNew(page, PagePermissions.ReadWrite);

        Assert.Equal(reserved ? MapResult.Reserved : MapResult.Mapped, result);
        Assert.Equal(!reserved, rig.Space.IsMapped(page));
        Assert.Equal(reserved ? free : free - 1, rig.Frames.FreeCount);
        Assert.Equal(reserved, UserAddressMap.IsReservedPage(page));
    }

    [Fact]
    public void A_range_over_a_mapped_page_maps_nothing_and_leaves_that_page_alone()
    {
        using var rig = new AddressSpaceRig();
        Assert.Equal(MapResult.Mapped, rig.Space.MapNew(0x12000, PagePermissions.ReadExecute));
        (uint, PagePermissions)? before = rig.Mapping(0x12000);
        int free = rig.Frames.FreeCount;

        Assert.Equal(MapResult.AlreadyMapped, rig.Space.MapRange(0x10000, 0x14000, PagePermissions.ReadWrite));

        Assert.Equal(before, rig.Mapping(0x12000));
        Assert.False(rig.Space.IsMapped(0x10000));
        Assert.False(rig.Space.IsMapped(0x11000));
        Assert.False(rig.Space.IsMapped(0x13000));
        Assert.Equal(free, rig.Frames.FreeCount);
    }

    [Fact]
    public void A_range_into_a_guard_page_maps_nothing()
    {
        using var rig = new AddressSpaceRig();
        int free = rig.Frames.FreeCount;

        Assert.Equal(MapResult.Reserved, rig.Space.MapRange(UserAddressMap.ImageTop - 0x2000, UserAddressMap.ImageTop + 0x1000, PagePermissions.ReadWrite));

        Assert.Empty(rig.Space.Mappings());
        Assert.Equal(free, rig.Frames.FreeCount);
    }

    [Fact]
    public void A_range_larger_than_the_free_frames_maps_nothing()
    {
        using var rig = new AddressSpaceRig();
        int free = rig.Frames.FreeCount;

        Assert.Equal(MapResult.NoMemory, rig.Space.MapRange(0x10000, 0x10000 + ((uint)(free + 1) * 4096), PagePermissions.ReadWrite));

        Assert.Empty(rig.Space.Mappings());
        Assert.Equal(free, rig.Frames.FreeCount);
        Assert.Equal(MapResult.Mapped, rig.Space.MapRange(0x10000, 0x10000 + ((uint)free * 4096), PagePermissions.ReadWrite));
        Assert.Equal(0, rig.Frames.FreeCount);
    }
}
