using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Isa;

/// <summary>Random register-register operations against a C# reference of the spec, with a fixed seed.</summary>
public sealed class AluPropertyTests
{
    private static readonly (Func<int, int, int, uint> Encode, Func<uint, uint, uint> Reference, string Name)[] Operations =
    [
        (Add, (a, b) => a + b, "add"),
        (Sub, (a, b) => a - b, "sub"),
        (Sll, (a, b) => a << (int)(b & 31), "sll"),
        (Slt, (a, b) => (int)a < (int)b ? 1u : 0u, "slt"),
        (Sltu, (a, b) => a < b ? 1u : 0u, "sltu"),
        (Xor, (a, b) => a ^ b, "xor"),
        (Srl, (a, b) => a >> (int)(b & 31), "srl"),
        (Sra, (a, b) => (uint)((int)a >> (int)(b & 31)), "sra"),
        (Or, (a, b) => a | b, "or"),
        (And, (a, b) => a & b, "and"),
        (Mul, (a, b) => a * b, "mul"),
        (Mulh, (a, b) => (uint)((long)(int)a * (int)b >> 32), "mulh"),
        (Mulhsu, (a, b) => (uint)(((Int128)(int)a * b) >> 32), "mulhsu"),
        (Mulhu, (a, b) => (uint)((ulong)a * b >> 32), "mulhu"),
        (Div, (a, b) => b == 0 ? uint.MaxValue : (a == 0x80000000 && b == uint.MaxValue) ? a : (uint)((int)a / (int)b), "div"),
        (Divu, (a, b) => b == 0 ? uint.MaxValue : a / b, "divu"),
        (Rem, (a, b) => b == 0 ? a : (a == 0x80000000 && b == uint.MaxValue) ? 0 : (uint)((int)a % (int)b), "rem"),
        (Remu, (a, b) => b == 0 ? a : a % b, "remu"),
    ];

    [Fact]
    public void Random_register_operations_match_the_reference()
    {
        Random random = new(20260101);
        uint[] interesting = [0, 1, 2, 31, 32, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE];
        using TestMachine m = new();
        const int Batches = 64;
        uint[] inputs = new uint[16];

        // Each op reads two of x1..x15 (never written) and writes its own result register in x16..x31, checked per batch.
        for (int batch = 0; batch < Batches; batch++)
        {
            for (int i = 1; i < 16; i++)
            {
                m[i] = inputs[i] = random.Next(4) == 0 ? interesting[random.Next(interesting.Length)] : (uint)random.NextInt64(0, 1L << 32);
            }

            uint[] batchProgram = new uint[17];
            (string Name, uint A, uint B, uint Expected)[] cases = new (string, uint, uint, uint)[16];
            for (int j = 0; j < 16; j++)
            {
                var op = Operations[random.Next(Operations.Length)];
                int rs1 = random.Next(1, 16);
                int rs2 = random.Next(0, 16);
                uint a = inputs[rs1];
                uint b = rs2 == 0 ? 0 : inputs[rs2];
                batchProgram[j] = op.Encode(16 + j, rs1, rs2);
                cases[j] = (op.Name, a, b, op.Reference(a, b));
            }

            batchProgram[16] = Ecall;
            m.Run(batchProgram);
            for (int j = 0; j < 16; j++)
            {
                Assert.True(cases[j].Expected == m[16 + j], $"{cases[j].Name} 0x{cases[j].A:x8}, 0x{cases[j].B:x8}: expected 0x{cases[j].Expected:x8}, got 0x{m[16 + j]:x8}");
            }
        }
    }
}
