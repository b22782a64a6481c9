namespace Nanvix.Kernel;

/// <summary>Told of every quantum a cluster's kernel runs (a trace); a host object, outside the modeled machine.</summary>
public interface IQuantumObserver
{
    void Quantum(in QuantumRecord quantum);
}

/// <summary>
/// One quantum: thread <paramref name="Tid"/> of process <paramref name="Pid"/> ran on core <paramref name="Core"/> of
/// cluster <paramref name="Cluster"/> (its index in the processor) from cycle <paramref name="Start"/> to
/// <paramref name="UserEnd"/>, then the kernel served what stopped it until <paramref name="End"/>: kernel call
/// <paramref name="Call"/> (its number, -1 for none) or trap <paramref name="Trap"/> (a fault's cause, -1 for none).
/// <paramref name="Misses"/> counts the core's I$ and D$ misses meanwhile (0 without the cache model).
/// </summary>
public readonly record struct QuantumRecord(
    int Cluster, int Core, int Pid, int Tid, ulong Start, ulong UserEnd, ulong End, ulong Instructions, int Call, int Trap, ulong Misses);
