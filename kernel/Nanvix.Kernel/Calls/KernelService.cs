using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The entry of the calls to the services on IO0 (name_link, name_unlink, name_heartbeat, name_lookup, spawn): ENOSYS
/// on a machine without the service; the name (and a spawn's argument) read from the caller, zero-terminated, 1 to
/// <see cref="KernelConstants.MaxNameLength"/> bytes (EFAULT, EINVAL, ENAMETOOLONG); the port a name is linked to a
/// port of a node (EINVAL); a spawn's node a 16-bit number (EINVAL; the service says whether it is a compute node). <see cref="ServiceRequests{TLayout}"/> then parks the caller until the service answers.
/// </summary>
internal sealed class KernelService<TLayout>(ServiceRequests<TLayout> requests, ProcessManager<TLayout> procs)
    where TLayout : struct, IProcessLayout
{
    public CallResult Serve(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now)
    {
        UserAccess user = procs.User(slot);
        Span<byte> text = stackalloc byte[KernelConstants.MaxNameLength + 1];
        if (number != K.Spawn)
        {
            if (!requests.HasNameService)
            {
                return CallResult.Error(Errno.ENOSYS);
            }

            int length = user.ReadText(a0, text);
            return length < 0 ? CallResult.Error(-length)
                : number == K.NameLink && a1 >= KernelConstants.MailboxPorts ? CallResult.Error(Errno.EINVAL)
                : requests.Request(slot, tid, now);
        }

        if (!requests.HasSpawnService)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        int program = user.ReadText(a1, text);
        int argument = a2 == 0 ? 0 : user.ReadText(a2, text);
        if (program < 0 || argument < 0)
        {
            return CallResult.Error(-Math.Min(program, argument));
        }

        return a0 > ushort.MaxValue ? CallResult.Error(Errno.EINVAL) : requests.Request(slot, tid, now);
    }
}
