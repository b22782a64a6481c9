using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Processor;

internal sealed class Cluster : ICluster, IDisposable
{
    private readonly Core[] _cores;

    /// <summary>The cores' shared view of the memory: LR/SC reservations and the code they predecoded.</summary>
    private readonly MemoryBus _bus;

    public Cluster(ClusterSpec spec)
    {
        Spec = spec;
        Memory = new ClusterMemory(spec.Name, spec.MemoryMap);
        _bus = new MemoryBus(Memory);
        _cores = new Core[spec.CoreCount];
        for (int i = 0; i < _cores.Length; i++)
        {
            _cores[i] = new Core(i, this, _bus, spec.Costs);
        }
    }

    public ClusterSpec Spec { get; }

    public int Id => Spec.Id;

    public string Name => Spec.Name;

    public ClusterKind Kind => Spec.Kind;

    public IReadOnlyList<ICore> Cores => _cores;

    public ClusterMemory Memory { get; }

    public IReadOnlyList<int> NocNodes => Spec.NocNodes;

    public void CodeChanged(uint pageNumber) => _bus.InvalidateCode(pageNumber);

    public void Dispose() => Memory.Dispose();

    public override string ToString() => Name;
}
