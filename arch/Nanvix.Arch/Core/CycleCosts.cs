namespace Nanvix.Arch.Core;

/// <summary>
/// Modeled cost in core cycles of each instruction class: the one table of timing constants of a core. The k1b cores
/// of the MPPA-256 are in-order 5-issue VLIW cores at 400 MHz (de Dinechin et al., "A clustered manycore processor
/// architecture for embedded and accelerated applications", HPEC 2013); one RISC-V instruction is modeled as one
/// bundle. Values marked "assumption" have no published source and are chosen to be plausible; change them here.
/// </summary>
public sealed record CycleCosts
{
    /// <summary>The default table for an MPPA-256 compute-cluster core.</summary>
    public static CycleCosts Mppa256 { get; } = new();

    /// <summary>Integer ALU, LUI/AUIPC, shifts, compares: one bundle per cycle (k1b issues one bundle a cycle).</summary>
    public uint Alu { get; init; } = 1;

    /// <summary>Conditional branch, taken or not (assumption: k1b's short pipeline hides the branch penalty).</summary>
    public uint Branch { get; init; } = 1;

    /// <summary>JAL/JALR (assumption: same as a branch).</summary>
    public uint Jump { get; init; } = 1;

    /// <summary>Load that hits the D$ (k1b D$ load-to-use is short; assumption: 1 issue cycle, latency hidden).</summary>
    public uint Load { get; init; } = 1;

    /// <summary>Store that hits the D$ or the write buffer (assumption: 1 cycle).</summary>
    public uint Store { get; init; } = 1;

    /// <summary>MUL/MULH* (k1b 32-bit multiply has a 2-cycle latency; assumption: the dependent use waits).</summary>
    public uint Multiply { get; init; } = 2;

    /// <summary>DIV/DIVU/REM/REMU (assumption: k1b has no integer divider; a software/iterative divide takes ~32 cycles).</summary>
    public uint Divide { get; init; } = 32;

    /// <summary>LR/SC/AMO: k1b atomics bypass the D$ and go to cluster SMEM (assumption: 10 cycles, one SMEM round trip).</summary>
    public uint Atomic { get; init; } = 10;

    /// <summary>FENCE and counter CSR reads (assumption: 1 cycle; the in-order core has nothing to drain).</summary>
    public uint System { get; init; } = 1;

    /// <summary>FENCE.I: k1b invalidates its I$ (assumption: 10 cycles plus the misses that follow when caches are modeled).</summary>
    public uint FenceI { get; init; } = 10;

    /// <summary>
    /// Stall of a cache miss that fills a line from cluster SMEM (assumption: 10 cycles; de Dinechin 2013 gives no
    /// figure; a 64 B line over the k1b's SMEM port is in this range). Only charged when cache models are on.
    /// </summary>
    public uint CacheMissPenalty { get; init; } = 10;
}
