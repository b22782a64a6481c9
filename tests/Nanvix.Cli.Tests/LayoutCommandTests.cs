using Nanvix.Kernel.Layout;

namespace Nanvix.Cli.Tests;

/// <summary><c>nanvix layout</c>: the memory map, the kernel-data plan and the kernel structures, pahole-style.</summary>
public sealed class LayoutCommandTests
{
    [Fact]
    public void Layout_defaults_to_the_uarea_layout_on_a_compute_cluster_of_the_mppa256()
    {
        (int status, string output, string error) = CliRunner.Run("layout");

        Assert.Equal(0, status);
        Assert.Equal("", error);
        Assert.Contains("mppa256: compute cluster CC0", output);
        Assert.Contains("layout uarea", output);
        Assert.Equal(output, CliRunner.Run("layout", "--layout", "uarea").Output);
    }

    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void Layout_prints_the_IKC_descriptor_tables_and_their_entries_after_the_per_process_state(string layout)
    {
        (_, string output, _) = CliRunner.Run("layout", "--layout", layout);

        Assert.Contains("IKC descriptor table (mailboxes, portals and sync points share it)", output);
        if (layout == "uarea")
        {
            // Each process's 16 entries inside its User Area (4 processes), then the node's 16.
            Assert.Matches(@"uarea\[0\]\.Ikc\s+0x[0-9a-f]{6}\s+2048\s+IkcEntry\s+16\s", output);
            Assert.Matches(@"uarea\[3\]\.Ikc\s+0x[0-9a-f]{6}\s+2048\s+IkcEntry\s+16\s", output);
            Assert.Matches(@"IKC node entries\s+0x[0-9a-f]{6}\s+2048\s+IkcEntry\s+16\s", output);
            Assert.Matches(@"IkcArea\s+Ikc;\s+/\*\s+2112\s+2048 \*/", output);
        }
        else
        {
            Assert.Matches(@"IKC descriptors\s+0x[0-9a-f]{6}\s+10240\s+IkcEntry\s+80\s", output);
        }

        Assert.Contains("struct IkcEntry {", output);
        Assert.Contains("struct MailboxEntry {", output);
        Assert.Contains("struct PortalEntry {", output);
        Assert.Contains("struct SyncEntry {", output);
    }

    [Fact]
    public void Layout_prints_the_cluster_memory_map()
    {
        (_, string output, _) = CliRunner.Run("layout");

        Assert.Matches(@"kernel-data\s+0x[0-9a-f]{6}\s+0x[0-9a-f]{6}\s+\d+ KB", output);
        Assert.Matches(@"user\s+0x0b0000\s+0x130000\s+512 KB", output);
    }

    [Fact]
    public void Uarea_layout_places_one_user_area_per_process_and_prints_its_cache_lines()
    {
        (_, string output, _) = CliRunner.Run("layout", "--layout", "uarea");

        Assert.Matches(@"uarea\[0\]\s+0x[0-9a-f]{6}\s+4160\s+UArea\s+1\s+\d+\s+\d+\s+65\r?\n", output);
        Assert.Contains("struct UArea {", output);
        Assert.Contains("/* size: 4160, cachelines: 65, members: 13 */", output);
        Assert.Contains("one contiguous UArea of 4160 bytes", output);
    }

    [Fact]
    public void Uarea_layout_shows_cache_line_boundaries_inside_the_user_area()
    {
        (_, string output, _) = CliRunner.Run("layout", "--layout", "uarea");

        Assert.Matches(@"ThreadTable\s+Threads;\s+/\*\s+0\s+720 \*/", output);
        Assert.Contains("/* --- cacheline 11 boundary (704 bytes) was 16 bytes ago --- */", output);
        Assert.Matches(@"JoinTable\s+Joins;\s+/\*\s+720\s+144 \*/", output);
    }

    [Fact]
    public void Scattered_layout_lists_the_thread_table_and_every_other_table()
    {
        (int status, string output, _) = CliRunner.Run("layout", "--layout", "scattered");

        Assert.Equal(0, status);
        Assert.Matches(@"thread table\s+0x[0-9a-f]{6}\s+\d+\s+ThreadEntry\s+\d+", output);
        foreach (string table in (string[])["join conditions", "return values", "stack pointers", "run queues", "thread control", "page-table pointers", "sysboard", "mutexes", "semaphores", "conditions"])
        {
            Assert.Contains(table, output);
        }

        Assert.Contains("spread over the 12 tables", output);
        Assert.Contains("IKC descriptors", output);
        Assert.DoesNotContain("struct UArea {", output);
    }

    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void Both_layouts_print_the_element_structures_with_field_offsets(string layout)
    {
        (_, string output, _) = CliRunner.Run("layout", "--layout", layout);

        foreach (string name in (string[])["ThreadEntry", "JoinCondition", "ReturnValue", "ThreadStacks", "RunQueue", "ThreadControl", "PageTablePointer", "SysboardEntry", "MutexEntry", "SemaphoreEntry", "ConditionEntry"])
        {
            Assert.Contains($"struct {name} {{", output);
        }

        Assert.Matches(@"ulong\s+ReadyAt;\s+/\*\s+32\s+8 \*/", output);
        Assert.Matches(@"CallArguments\s+Arguments;\s+/\*\s+12\s+24 \*/", output);
        Assert.Contains("/* size: 40, cachelines: 1, members: 9 */", output);
    }

    [Fact]
    public void Scattered_tables_are_each_on_their_own_cache_line()
    {
        (_, string output, _) = CliRunner.Run("layout", "--layout", "scattered");

        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(output, @"\s0x([0-9a-f]{6})\s+\d+\s+[A-Z]\w+\s+\d+\s+\d+"))
        {
            Assert.Equal(0, Convert.ToInt32(m.Groups[1].Value, 16) % 64);
        }
    }

    [Fact]
    public void Layout_describes_the_small_machine_too()
    {
        (int status, string output, _) = CliRunner.Run("layout", "--machine", "small");

        Assert.Equal(0, status);
        Assert.Contains("small: compute cluster", output);
        Assert.Contains("struct UArea {", output);
    }

    [Theory]
    [InlineData("--layout", "packed")]
    [InlineData("--machine", "vax")]
    public void A_bad_layout_flag_value_is_one_clear_error(string flag, string value)
    {
        (int status, string output, string error) = CliRunner.Run("layout", flag, value);

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.StartsWith($"nanvix: {flag}: Argument '{value}' not recognized", error);
        Assert.Contains("Try 'nanvix layout --help'.", error);
    }

    [Fact]
    public void Same_layout_command_prints_the_same_text_twice()
    {
        Assert.Equal(CliRunner.Run("layout", "--layout", "scattered").Output, CliRunner.Run("layout", "--layout", "scattered").Output);
    }
}
