using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Arch.Isa;

namespace Nanvix.Arch.Tests.Core;

public sealed class LayoutTests
{
    [Fact]
    public void Register_context_is_32_registers_then_pc()
    {
        Assert.Equal(132, Unsafe.SizeOf<RegisterContext>());
        Assert.Equal(RegisterContext.Size, Unsafe.SizeOf<RegisterContext>());
        RegisterContext context = default;
        context.Pc = 0xAABBCCDD;
        context.Set(31, 7);
        ref byte start = ref Unsafe.As<RegisterContext, byte>(ref context);
        Assert.Equal(0xAABBCCDDu, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, RegisterContext.PcOffset)));
        Assert.Equal(7u, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, 31 * 4)));
    }

    [Fact]
    public void Decoded_instruction_is_sixteen_bytes()
    {
        Assert.Equal(16, Unsafe.SizeOf<DecodedInstruction>());
    }
}
