using Nanvix.Arch.Elf;
using Nanvix.Arch.Tests.Isa;
using Nanvix.Hal.Machine;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// Where a program may lie (docs/abi.md, "User address space"): segments in [0x1000, 0x7FFDB000), the heap up to
/// 0x7FFDB000, the stacks and their guard pages above, the kernel's half above 0x80000000. Images are written in memory.
/// </summary>
public sealed class ProgramPlacementTests
{
    private const string Rule = "a program's segments must lie in [0x1000, 0x7ffdb000), below the stacks (link at lld's default 0x10000)";

    private const int T0 = 5, T1 = 6, T2 = 7, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A7 = 17, S2 = 18, S3 = 19;

    private const uint Marker = 0xC0DE_F00D;

    private static readonly uint[] Exit0 = [.. Rv32.Li(A0, 0), .. Rv32.Li(A7, 93), Rv32.Ecall];

    /// <summary>A valid text segment at lld's default address, and a data segment at <paramref name="start"/>.</summary>
    private static ElfImage WithData(uint start, uint memorySize, uint flags = ElfBuilder.R | ElfBuilder.W) =>
        ElfImage.Parse(new ElfBuilder().Words(0x10000, Exit0, ElfBuilder.R | ElfBuilder.X).Segment(start, new byte[16], flags, memorySize).Build(), Mppa256.UserBytes);

    /// <summary>Spawns <paramref name="image"/>, expects the loader to refuse it and the cluster to be left as it was.</summary>
    private static string Refusal(ElfImage image)
    {
        using var rig = new KernelRig();
        int frames = rig.Kernel.Frames.FreeCount;
        int kernelPages = rig.Kernel.KernelPages.FreeCount;

        KernelException error = Assert.Throws<KernelException>(() => rig.Kernel.Spawn(image, ["placed"]));

        Assert.Equal(frames, rig.Kernel.Frames.FreeCount);
        Assert.Equal(kernelPages, rig.Kernel.KernelPages.FreeCount);
        Assert.False(rig.Kernel.HasLiveProcesses);
        return error.Message;
    }

    [Fact]
    public void A_segment_over_the_main_stack_is_refused()
    {
        Assert.Equal(
            $"segment 1 (RW-) [0x7fffe100, 0x7fffe200) overlaps the main stack [0x7fffe000, 0x80000000): {Rule}",
            Refusal(WithData(0x7FFF_E100, 0x100)));
    }

    [Fact]
    public void A_segment_over_the_main_stacks_guard_page_is_refused()
    {
        // What -Wl,--image-base=0x7FFFD000 gives: its first segment lies on the guard page, the next on the stack.
        Assert.Equal(
            $"segment 1 (RW-) [0x7fffd000, 0x7fffe2ef) overlaps the guard page of the main stack [0x7fffd000, 0x7fffe000): {Rule}",
            Refusal(WithData(0x7FFF_D000, 0x12EF)));
    }

    [Fact]
    public void A_segment_over_a_thread_stack_is_refused()
    {
        Assert.Equal(
            $"segment 1 (RW-) [0x7ffe0000, 0x7ffe0800) overlaps the stack of thread 15 [0x7ffe0000, 0x7ffe1000): {Rule}",
            Refusal(WithData(0x7FFE_0000, 0x800)));
    }

    [Fact]
    public void A_segment_over_a_thread_stacks_guard_page_is_refused()
    {
        Assert.Equal(
            $"segment 1 (RW-) [0x7fffb800, 0x7fffb810) overlaps the guard page of the stack of thread 1 [0x7fffb000, 0x7fffc000): {Rule}",
            Refusal(WithData(0x7FFF_B800, 0x10)));
    }

    [Fact]
    public void A_segment_one_byte_into_the_stack_region_is_refused()
    {
        Assert.Equal(
            $"segment 1 (RW-) [0x7ffd0000, 0x7ffdb001) overlaps the guard page of the stack of thread 17 [0x7ffdb000, 0x7ffdc000): {Rule}",
            Refusal(WithData(0x7FFD_0000, 0xB001)));
    }

    [Fact]
    public void A_segment_on_the_null_page_is_refused()
    {
        Assert.Equal(
            $"segment 1 (RW-) [0xffc, 0x100c) overlaps the null page [0x0, 0x1000): {Rule}",
            Refusal(WithData(0xFFC, 0x10)));
    }

    [Fact]
    public void A_program_linked_near_4_GB_whose_addresses_wrapped_is_refused_for_its_first_segment()
    {
        // ld.lld -Wl,--image-base=0xFFFFD000 --noinhibit-exec: rodata and text near 4 GB, bss wrapped to 0x53c. It used to
        // be refused as "segments span 4294963200 bytes"; segment 0, the first in header order, is what is wrong.
        byte[] file = new ElfBuilder { Entry = 0xFFFF_E2F0 }
            .Segment(0xFFFF_D000, new byte[0x2EF], ElfBuilder.R)
            .Words(0xFFFF_E2F0, Exit0, ElfBuilder.R | ElfBuilder.X, memorySize: 0x124C)
            .Segment(0x0000_053C, [], ElfBuilder.R | ElfBuilder.W, memorySize: 0x110)
            .Build();

        Assert.Equal(
            $"segment 0 (R--) [0xffffd000, 0xffffd2ef) overlaps the kernel's half of the address space [0x80000000, 0x100000000): {Rule}",
            Refusal(ElfImage.Parse(file, Mppa256.UserBytes)));
    }

    [Fact]
    public void A_segment_at_the_top_of_4_GB_is_refused_as_the_kernels_half()
    {
        Assert.Equal(
            $"segment 1 (RWX) [0xfffff000, 0x100000000) overlaps the kernel's half of the address space [0x80000000, 0x100000000): {Rule}",
            Refusal(WithData(0xFFFF_F000, 0x1000, ElfBuilder.R | ElfBuilder.W | ElfBuilder.X)));
    }

    [Fact]
    public void The_lowest_and_highest_bytes_programs_may_use_load()
    {
        using var rig = new KernelRig();
        rig.Kernel.Spawn(WithData(0x1000, 0x10), ["low"]);
        rig.Kernel.Spawn(WithData(0x7FFD_A000, 0x1000), ["high"]);

        Assert.All(rig.Kernel.RunToCompletion(), exit => Assert.Equal(0, exit.Status));
    }

    /// <summary>
    /// A program whose only page is the last below the stacks, or which grows its heap up to them with brk
    /// (<paramref name="growHeap"/>): brk refuses to go further, 17 threads each write the lowest and highest words of
    /// their stacks, and the last word below the stacks still holds <see cref="Marker"/>. Exit 42, else the failed step.
    /// </summary>
    private static byte[] TopProgram(uint codeBase, bool growHeap)
    {
        var code = new List<uint>();
        var checks = new List<(int At, int Rs1, int Rs2)>();
        void Li(int rd, uint value) => code.AddRange(Rv32.Li(rd, value));
        void Call(uint number)
        {
            Li(A7, number);
            code.Add(Rv32.Ecall);
        }

        void Step(int step) => code.Add(Rv32.Addi(S3, 0, step));
        void FailUnlessEqual(int rs1, int rs2)
        {
            checks.Add((code.Count, rs1, rs2));
            code.Add(Rv32.Nop);
        }

        uint imageEnd = codeBase + 0x1000;
        code.Add(0); // jal to main, patched below

        // The thread: a0 = its argument, sp = the top of its 4 KB stack.
        code.Add(Rv32.Addi(T0, 2, -2048));
        code.Add(Rv32.Addi(T0, T0, -2048));
        code.Add(Rv32.Sw(A0, T0, 0));
        code.Add(Rv32.Sw(A0, 2, -4));
        Li(A0, 0);
        Call(1001);

        int main = code.Count;
        code[0] = Rv32.Jal(0, main * 4);
        Step(1);
        Li(A0, 0);
        Call(214);
        Li(T2, imageEnd);
        FailUnlessEqual(A0, T2);
        if (growHeap)
        {
            Step(2);
            Li(A0, UserAddressMap.ImageTop);
            Call(214);
            Li(T2, UserAddressMap.ImageTop);
            FailUnlessEqual(A0, T2);
            Li(T0, UserAddressMap.ImageTop - 4);
            Li(T1, Marker);
            code.Add(Rv32.Sw(T1, T0, 0));
        }

        Step(3);
        Li(T2, UserAddressMap.ImageTop);
        Li(A0, UserAddressMap.ImageTop + 1);
        Call(214);
        FailUnlessEqual(A0, T2);
        Step(4);
        Li(A0, UserAddressMap.MainStackBottom);
        Call(214);
        FailUnlessEqual(A0, T2);

        Step(5);
        Li(S1, 1);
        Li(S2, 18);
        int create = code.Count;
        Li(A0, codeBase + 4);
        Li(A1, 0x5A5A_0000);
        code.Add(Rv32.Add(A1, A1, S1));
        Li(A2, 0);
        Call(1000);
        FailUnlessEqual(A0, S1);
        code.Add(Rv32.Addi(S1, S1, 1));
        code.Add(Rv32.Bne(S1, S2, (create - code.Count) * 4));

        Step(6);
        Li(S1, 1);
        int join = code.Count;
        code.Add(Rv32.Addi(A0, S1, 0));
        Li(A1, 0);
        Call(1002);
        FailUnlessEqual(A0, 0);
        code.Add(Rv32.Addi(S1, S1, 1));
        code.Add(Rv32.Bne(S1, S2, (join - code.Count) * 4));

        Step(7);
        Li(T0, UserAddressMap.ImageTop - 4);
        code.Add(Rv32.Lw(T1, T0, 0));
        Li(T2, Marker);
        FailUnlessEqual(T1, T2);
        Li(A0, 42);
        Call(93);

        int fail = code.Count;
        code.Add(Rv32.Addi(A0, S3, 0));
        Call(93);
        foreach ((int at, int rs1, int rs2) in checks)
        {
            code[at] = Rv32.Bne(rs1, rs2, (fail - at) * 4);
        }

        // One full page of text; without a heap, its last word is the marker.
        while (code.Count < 1024)
        {
            code.Add(growHeap ? 0u : Marker);
        }

        return new ElfBuilder().Words(codeBase, code, ElfBuilder.R | ElfBuilder.X).Build();
    }

    [Fact]
    public void A_program_ending_exactly_where_the_stacks_begin_runs_with_all_its_threads_and_brk_stays_below_them()
    {
        using var rig = new KernelRig();
        rig.Kernel.Spawn(ElfImage.Parse(TopProgram(UserAddressMap.ImageTop - 0x1000, growHeap: false), Mppa256.UserBytes), ["top"]);

        ProcessExit exit = Assert.Single(rig.Kernel.RunToCompletion());

        Assert.Null(exit.Diagnostic);
        Assert.Equal(42, exit.Status);
    }

    [Fact]
    public void Brk_grows_up_to_the_stacks_and_no_further_and_the_threads_leave_the_heap_alone()
    {
        using var rig = new KernelRig();
        rig.Kernel.Spawn(ElfImage.Parse(TopProgram(UserAddressMap.ImageTop - 0x3000, growHeap: true), Mppa256.UserBytes), ["heap"]);

        ProcessExit exit = Assert.Single(rig.Kernel.RunToCompletion());

        Assert.Null(exit.Diagnostic);
        Assert.Equal(42, exit.Status);
    }

    [Fact]
    public void The_map_constants_are_those_docs_abi_md_gives()
    {
        Assert.Equal(0x1000u, UserAddressMap.ImageBottom);
        Assert.Equal(0x7FFD_B000u, UserAddressMap.ImageTop);
        Assert.Equal(0x8000_0000u, UserAddressMap.UserTop);
        Assert.Equal(0x7FFF_E000u, UserAddressMap.MainStackBottom);
        Assert.Equal(0x7FFF_D000u, UserAddressMap.StackTop(1));
        Assert.Equal(0x7FFF_C000u, UserAddressMap.StackBottom(1));
        Assert.Equal(0x7FFD_D000u, UserAddressMap.StackTop(17));
        Assert.Equal(0x7FFD_C000u, UserAddressMap.StackBottom(17));
    }

    [Fact]
    public void The_stack_region_is_tiled_by_stacks_and_guard_pages_without_gaps()
    {
        ulong at = UserAddressMap.StacksBottom;
        int guards = 0, stacks = 0;
        while (at < UserAddressMap.UserTop)
        {
            Assert.True(UserAddressMap.TryFindReserved(at, at + 1, out UserRange range));
            Assert.Equal(at, range.Start);
            guards += range.Name.StartsWith("the guard page", StringComparison.Ordinal) ? 1 : 0;
            stacks += range.Name.StartsWith("the guard page", StringComparison.Ordinal) ? 0 : 1;
            at = range.End;
        }

        Assert.Equal(UserAddressMap.UserTop, at);
        Assert.Equal(18, guards);
        Assert.Equal(18, stacks);
        Assert.False(UserAddressMap.TryFindReserved(UserAddressMap.ImageBottom, UserAddressMap.ImageTop, out _));
    }
}
