using Nanvix.Arch.Isa;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>
/// Basic blocks over a predecoded code page, for the block engine (<see cref="HartEngine.Fast"/>): a block runs from
/// any slot up to the first branch or jump (included), up to the slot before an instruction that the engine leaves to
/// the stepping loop (<see cref="IsStepped"/>), or to the end of the page. Each slot of a block holds the count and the
/// base cycles of the instructions from it to the block's end (suffix sums, as rv32emu and libriscv keep an instruction
/// count per block), so a block entered anywhere is charged with two adds, and a trap at any of its instructions gives
/// back what was charged for that instruction and those after it.
/// <para>
/// Invariant: a slot with a non-zero <see cref="DecodedInstruction.BlockLength"/> n is decoded, as are the n - 1 slots
/// after it; unless it is a branch or a jump, the next slot holds n - 1, or, when n is 1, is stepped (or the undecoded
/// slot after the page's last), so the engine runs on from an instruction to the next with no check and stops where it
/// meets a stepped one. <see cref="ForgetBlocksThrough"/> keeps it when an instruction is overwritten; a page
/// invalidated as a whole is cleared.
/// </para>
/// <para>
/// Fused pairs (an idea of libriscv and rv32emu, which fuse common sequences): an ADDI followed in its block by another
/// ADDI or a conditional branch, an ADD followed by LW, LBU, SW or SB, SLLI by ADD, and LUI by ADDI, are dispatched
/// once, as <see cref="DecodedInstruction.Op"/> says (a load or store is only ever the second of a pair), and so are
/// two ADDIs followed by a conditional branch (a triple); the second instruction
/// keeps its own slot, so entering at it, or trapping at it, is as for any other.
/// </para>
/// </summary>
internal static class BasicBlocks
{
    /// <summary>Instruction slots of a code page.</summary>
    public const int PageSlots = (int)(Sv32.PageSize / 4);

    /// <summary>
    /// Fused pairs (<see cref="DecodedInstruction.Op"/>): ADDI, then the instruction after it, in one dispatch; numbered
    /// right after the last <see cref="InstructionKind"/>, so that the engine's switch stays one dense table.
    /// </summary>
    public const byte AddiAddi = (byte)InstructionKind.AmoMaxuW + 1;
    public const byte AddiBeq = AddiAddi + 1;
    public const byte AddiBne = AddiAddi + 2;
    public const byte AddiBlt = AddiAddi + 3;
    public const byte AddiBge = AddiAddi + 4;
    public const byte AddiBltu = AddiAddi + 5;
    public const byte AddiBgeu = AddiAddi + 6;

    /// <summary>
    /// More fused pairs: an address computed by ADD, then the load or store through it (array indexing); SLLI, then
    /// ADD (an index scaled); LUI, then ADDI (a 32-bit constant).
    /// </summary>
    public const byte AddLw = AddiAddi + 7;
    public const byte AddLbu = AddiAddi + 8;
    public const byte AddSw = AddiAddi + 9;
    public const byte AddSb = AddiAddi + 10;
    public const byte SlliAdd = AddiAddi + 11;
    public const byte LuiAddi = AddiAddi + 12;

    /// <summary>A fused triple, the tail of most loops: two ADDIs (a counter, a pointer), then a conditional branch.</summary>
    public const byte AddiAddiBeq = AddiAddi + 13;
    public const byte AddiAddiBne = AddiAddi + 14;
    public const byte AddiAddiBlt = AddiAddi + 15;
    public const byte AddiAddiBge = AddiAddi + 16;
    public const byte AddiAddiBltu = AddiAddi + 17;
    public const byte AddiAddiBgeu = AddiAddi + 18;

    /// <summary>The register a block instruction writes in place of x0: the context's pc word, rewritten when a run ends.</summary>
    public const byte Sink = 32;

    /// <summary>Largest cost of one instruction class for which blocks are built: a page of such instructions fits in 32 bits.</summary>
    public const uint MaxCost = 1 << 20;

    /// <summary>True when a block of a whole page's instructions under <paramref name="costs"/> cannot overflow its cycle count.</summary>
    public static bool Supports(CycleCosts costs) =>
        Math.Max(Math.Max(Math.Max(costs.Alu, costs.Branch), Math.Max(costs.Jump, costs.Load)), Math.Max(Math.Max(costs.Store, costs.Multiply), Math.Max(costs.Divide, costs.System))) <= MaxCost;

    /// <summary>
    /// True for the instructions that the block engine runs through the stepping loop, one at a time: those that always
    /// trap, FENCE.I, counter reads, LR/SC and AMOs (rare, and each with its own rules on the state it reads or drops).
    /// </summary>
    public static bool IsStepped(InstructionKind kind) => kind switch
    {
        InstructionKind.Undecoded or InstructionKind.Illegal or InstructionKind.FenceI or InstructionKind.Ecall
            or InstructionKind.Ebreak or InstructionKind.CsrRead => true,
        _ => kind >= InstructionKind.LrW,
    };

    /// <summary>True for the instructions that end a block after themselves: branches and jumps.</summary>
    public static bool EndsBlock(InstructionKind kind) => kind is >= InstructionKind.Jal and <= InstructionKind.Bgeu;

    /// <summary>The cycles an instruction of a block costs with no cache stall, as the stepping loop charges it.</summary>
    public static uint BaseCycles(InstructionKind kind, CycleCosts costs) => kind switch
    {
        InstructionKind.Jal or InstructionKind.Jalr => costs.Jump,
        >= InstructionKind.Beq and <= InstructionKind.Bgeu => costs.Branch,
        >= InstructionKind.Lb and <= InstructionKind.Lhu => costs.Load,
        >= InstructionKind.Sb and <= InstructionKind.Sw => costs.Store,
        >= InstructionKind.Mul and <= InstructionKind.Mulhu => costs.Multiply,
        >= InstructionKind.Div and <= InstructionKind.Remu => costs.Divide,
        InstructionKind.Fence => costs.System,
        _ => costs.Alu,
    };

    /// <summary>
    /// Builds the block that starts at slot <paramref name="first"/> of <paramref name="code"/> (the page at host address
    /// <paramref name="pageHost"/>), decoding what is not yet decoded; a block that reaches an already built one goes on
    /// with it. Leaves slot <paramref name="first"/> at length 0 when its instruction is stepped.
    /// </summary>
    public static void Build(DecodedInstruction[] code, int first, nint pageHost, CycleCosts costs)
    {
        int end = first;
        uint length = 0;
        uint cycles = 0;
        while (end < PageSlots)
        {
            ref DecodedInstruction slot = ref code[end];
            if (slot.Kind == InstructionKind.Undecoded)
            {
                slot = InstructionDecoder.Decode(HostMemory.Read32(pageHost, (uint)end * 4));
            }

            if (slot.BlockLength != 0)
            {
                length = slot.BlockLength;
                cycles = slot.BlockCycles;
                break;
            }

            if (IsStepped(slot.Kind))
            {
                break;
            }

            end++;
            if (EndsBlock(slot.Kind))
            {
                break;
            }
        }

        for (int i = end - 1; i >= first; i--)
        {
            ref DecodedInstruction slot = ref code[i];
            length++;
            cycles += BaseCycles(slot.Kind, costs);
            slot.BlockLength = (ushort)length;
            slot.BlockCycles = cycles;
            slot.Destination = slot.Rd == 0 ? Sink : slot.Rd;
            slot.Op = length > 2 && slot.Kind == InstructionKind.Addi && code[i + 1].Kind == InstructionKind.Addi
                && code[i + 2].Kind is >= InstructionKind.Beq and <= InstructionKind.Bgeu
                ? (byte)(AddiAddiBeq + (code[i + 2].Kind - InstructionKind.Beq))
                : length > 1 ? Fuse(slot.Kind, code[i + 1].Kind) : (byte)slot.Kind;
        }
    }

    /// <summary>What the block engine dispatches on for <paramref name="kind"/> followed in its block by <paramref name="next"/>.</summary>
    private static byte Fuse(InstructionKind kind, InstructionKind next) => (kind, next) switch
    {
        (InstructionKind.Addi, InstructionKind.Addi) => AddiAddi,
        (InstructionKind.Addi, InstructionKind.Beq) => AddiBeq,
        (InstructionKind.Addi, InstructionKind.Bne) => AddiBne,
        (InstructionKind.Addi, InstructionKind.Blt) => AddiBlt,
        (InstructionKind.Addi, InstructionKind.Bge) => AddiBge,
        (InstructionKind.Addi, InstructionKind.Bltu) => AddiBltu,
        (InstructionKind.Addi, InstructionKind.Bgeu) => AddiBgeu,
        (InstructionKind.Add, InstructionKind.Lw) => AddLw,
        (InstructionKind.Add, InstructionKind.Lbu) => AddLbu,
        (InstructionKind.Add, InstructionKind.Sw) => AddSw,
        (InstructionKind.Add, InstructionKind.Sb) => AddSb,
        (InstructionKind.Slli, InstructionKind.Add) => SlliAdd,
        (InstructionKind.Lui, InstructionKind.Addi) => LuiAddi,
        _ => (byte)kind,
    };

    /// <summary>
    /// Forgets every block that holds slot <paramref name="index"/> (whose instruction was just overwritten) or stops
    /// right before it (it may no longer be stepped): the blocks built from the slots before it that run up to it.
    /// Their instructions stay decoded; the blocks are built again.
    /// </summary>
    public static void ForgetBlocksThrough(DecodedInstruction[] code, int index)
    {
        for (int i = index - 1; i >= 0 && code[i].BlockLength >= index - i; i--)
        {
            code[i].BlockLength = 0;
        }
    }
}
