using CsCheck;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// Random segment placements, many of them near the edges of the map: an image either loads, with every byte of
/// every segment reading back after the main stack and all 17 thread stacks were mapped and filled, or it is refused
/// (by the parser or by the loader's placement check), and it is refused by the loader exactly when one of its
/// segments leaves [0x1000, 0x7FFDB000). Never a load over a reserved page, never a host exception.
/// </summary>
public sealed class ProgramPlacementPropertyTests
{
    /// <summary>Written independently of <see cref="UserAddressMap"/>: docs/abi.md's numbers.</summary>
    private const ulong Lowest = 0x1000, Highest = 0x7FFD_B000;

    private static readonly uint[] Permissions =
        [ElfBuilder.R, ElfBuilder.R | ElfBuilder.W, ElfBuilder.R | ElfBuilder.X, ElfBuilder.R | ElfBuilder.W | ElfBuilder.X];

    /// <summary>Addresses by zone: about the null page, lld's layout, the top of the image range, the stacks, the kernel's half, 4 GB.</summary>
    private static readonly Gen<uint> Address = Gen.OneOf(
        Gen.UInt[0, 0x3000],
        Gen.UInt[0x1_0000, 0x3_0000],
        Gen.UInt[0x7FFD_0000, 0x7FFD_D000],
        Gen.UInt[0x7FFD_D000, 0x7FFF_FFFF],
        Gen.UInt[0x7FFF_E000, 0x8000_3000],
        Gen.UInt[0xFFFF_0000, 0xFFFF_FFFF]).Select(a => a & ~3u);

    private static readonly Gen<(uint Address, uint FileSize, uint MemorySize, uint Flags)> Segment =
        Gen.Select(Address, Gen.UInt[0, 0x800], Gen.UInt[1, 0x3000], Gen.Int[0, Permissions.Length - 1])
            .Select((address, file, memory, flags) => (address, Math.Min(file, memory), memory, Permissions[flags]));

    [Fact]
    public void A_random_placement_either_loads_and_reads_back_or_is_refused_and_only_for_an_overlap()
    {
        using var rig = new AddressSpaceRig();
        int frames = rig.Frames.FreeCount;
        int kernelPages = rig.KernelPages.FreeCount;
        int loaded = 0, placementRefused = 0, formatRefused = 0;
        var pcg = new PCG(12, 2026);
        Gen<(uint, uint, uint, uint)[]> images = Segment.Array[1, 3];
        for (int trial = 0; trial < 600; trial++)
        {
            (uint Address, uint FileSize, uint MemorySize, uint Flags)[] segments = images.Generate(pcg, null, out _);

            // The first segment holds the entry point; the bytes of each are a pattern that tells them apart.
            segments[0].Flags |= ElfBuilder.X;
            var builder = new ElfBuilder { Entry = segments[0].Address };
            for (int i = 0; i < segments.Length; i++)
            {
                byte[] bytes = new byte[segments[i].FileSize];
                for (int b = 0; b < bytes.Length; b++)
                {
                    bytes[b] = (byte)((b * 7) + (i * 31) + 1);
                }

                builder.Segment(segments[i].Address, bytes, segments[i].Flags, segments[i].MemorySize);
            }

            ElfImage image;
            try
            {
                image = ElfImage.Parse(builder.Build(), Mppa256.UserBytes);
            }
            catch (ElfFormatException)
            {
                formatRefused++;
                continue;
            }

            bool outside = image.Segments.Any(s => s.VirtualAddress < Lowest || s.End > Highest);
            try
            {
                ProgramLoader.CheckPlacement(image);
            }
            catch (KernelException error)
            {
                Assert.True(outside, $"trial {trial}: refused, yet every segment lies inside: {error.Message}");
                Assert.Contains("overlaps", error.Message);
                placementRefused++;
                continue;
            }

            Assert.False(outside, $"trial {trial}: {string.Join(", ", image.Segments.Select(s => s.Describe()))} passed the placement check");
            AddressSpace space = rig.NewSpace();
            var user = new UserAccess(rig.Kernel, space, cluster: null);
            Assert.True(ProgramLoader.LoadSegments(image, space, user));
            Assert.True(ProgramLoader.MapStack(space));
            for (int tid = 1; tid < KernelConstants.MaxThreads; tid++)
            {
                Assert.Equal(MapResult.Mapped, space.MapRange(UserAddressMap.StackBottom(tid), UserAddressMap.StackTop(tid), PagePermissions.ReadWrite));
            }

            for (int tid = 0; tid < KernelConstants.MaxThreads; tid++)
            {
                uint bottom = UserAddressMap.StackBottom(tid);
                Assert.True(user.CopyTo(bottom, Enumerable.Repeat((byte)0xCC, (int)(UserAddressMap.StackTop(tid) - bottom)).ToArray()));
            }

            ReadsBack(image, space, user, trial);
            Assert.Equal((int)(image.PageBytes / 4096) + 2 + (KernelConstants.MaxThreads - 1), space.Mappings().Count);
            space.Destroy();
            Assert.Equal(frames, rig.Frames.FreeCount);
            Assert.Equal(kernelPages, rig.KernelPages.FreeCount);
            loaded++;
        }

        // The zones make every outcome common.
        Assert.True(loaded > 50, $"{loaded} loaded");
        Assert.True(placementRefused > 50, $"{placementRefused} refused for their placement");
        Assert.True(formatRefused > 20, $"{formatRefused} refused by the parser");
    }

    [Fact]
    public void Random_corruptions_of_a_real_program_load_whole_or_are_refused_with_a_clear_error()
    {
        using var rig = new AddressSpaceRig();
        int frames = rig.Frames.FreeCount;
        byte[] hello = RepositoryFiles.UserProgram("hello");
        var random = new Random(2022);
        int loaded = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] file = (byte[])hello.Clone();
            for (int flips = random.Next(1, 8); flips > 0; flips--)
            {
                file[random.Next(0, Math.Min(file.Length, 256))] = (byte)random.Next(256);
            }

            ElfImage image;
            try
            {
                image = ElfImage.Parse(file, Mppa256.UserBytes);
                ProgramLoader.CheckPlacement(image);
            }
            catch (Exception e) when (e is ElfFormatException or KernelException)
            {
                continue;
            }

            AddressSpace space = rig.NewSpace();
            var user = new UserAccess(rig.Kernel, space, cluster: null);
            if (ProgramLoader.LoadSegments(image, space, user) && ProgramLoader.MapStack(space))
            {
                ReadsBack(image, space, user, trial);
                loaded++;
            }

            space.Destroy();
            Assert.Equal(frames, rig.Frames.FreeCount);
        }

        Assert.True(loaded > 100, $"{loaded} loaded");
    }

    private static void ReadsBack(ElfImage image, AddressSpace space, UserAccess user, int trial)
    {
        foreach (ElfSegment segment in image.Segments)
        {
            var read = new byte[segment.MemorySize];
            Assert.True(user.CopyFrom(segment.VirtualAddress, read), $"trial {trial}: {segment.Describe()} does not read back");
            Assert.Equal(image.FileBytes(segment).ToArray(), read[..(int)segment.FileSize]);
            Assert.All(read[(int)segment.FileSize..], b => Assert.Equal(0, b));

            // Each page has the union of the permissions of the segments on it, and no more.
            for (ulong page = segment.VirtualAddress & ~0xFFFUL; page < segment.End; page += 4096)
            {
                bool writable = image.Segments.Any(s => s.Permissions.HasFlag(SegmentPermissions.Write) && s.VirtualAddress < page + 4096 && s.End > page);
                bool executable = image.Segments.Any(s => s.Permissions.HasFlag(SegmentPermissions.Execute) && s.VirtualAddress < page + 4096 && s.End > page);
                Assert.Equal(writable, space.TryTranslate((uint)page, PagePermissions.Write, out _));
                Assert.Equal(executable, space.TryTranslate((uint)page, PagePermissions.Execute, out _));
            }
        }
    }
}
