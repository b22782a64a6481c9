using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Sched;

/// <summary>
/// Per-process round-robin queues of ready threads, and the choice of what runs next. Each thread is bound to one
/// user core (Nanvix's affinity: core 0 is the master, user threads go to cores 1..n-1). The next quantum goes to
/// the core that can start soonest in simulated time (ties to the lowest core), running the first thread of the
/// queues bound to it that is ready by then: a conservative, deterministic interleaving of the cores.
/// </summary>
[KernelHotPath]
public sealed class Scheduler<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly KernelState<TLayout> _state;
    private readonly ProcessTable _processes;
    private readonly ICore[] _cores;

    public Scheduler(KernelState<TLayout> state, ICore[] cores, ProcessTable processes)
    {
        _state = state;
        _cores = cores;
        _processes = processes;
    }

    /// <summary>Appends <paramref name="tid"/> to the tail of its process's queue.</summary>
    public void Enqueue(int process, int tid)
    {
        ref RunQueue queue = ref _state.RunQueue(process, write: true);
        queue.Threads[(queue.Head + queue.Count) % RunQueue.Capacity] = (byte)tid;
        queue.Count++;
    }

    /// <summary>Takes <paramref name="tid"/> out of its process's queue, if it is there.</summary>
    public void Remove(int process, int tid)
    {
        ref RunQueue queue = ref _state.RunQueue(process, write: true);
        for (int i = 0; i < queue.Count; i++)
        {
            if (queue.Threads[(queue.Head + i) % RunQueue.Capacity] == tid)
            {
                for (int j = i; j < queue.Count - 1; j++)
                {
                    queue.Threads[(queue.Head + j) % RunQueue.Capacity] = queue.Threads[(queue.Head + j + 1) % RunQueue.Capacity];
                }

                queue.Count--;
                return;
            }
        }
    }

    /// <summary>Moves <paramref name="tid"/> to the tail of its queue: its quantum is over.</summary>
    public void Rotate(int process, int tid)
    {
        Remove(process, tid);
        Enqueue(process, tid);
    }

    /// <summary>The user core with the fewest live threads (lowest number on a tie), for a new thread.</summary>
    public int LeastLoadedCore()
    {
        Span<int> load = stackalloc int[_cores.Length];
        for (int p = 0; p < KernelConstants.MaxProcesses; p++)
        {
            if (!_processes.IsLive(p))
            {
                continue;
            }

            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ref ThreadEntry thread = ref _state.Thread(p, t);
                if (thread.State is ThreadStatus.Ready or ThreadStatus.Blocked)
                {
                    load[thread.Core]++;
                }
            }
        }

        int best = 1;
        for (int c = 2; c < _cores.Length; c++)
        {
            if (load[c] < load[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// Chooses the next quantum: the core, and the process and thread it runs. False when no thread of any live
    /// process is ready (all are blocked: a deadlock, since nothing outside the cluster can wake them yet).
    /// </summary>
    public bool TryPick(out int core, out int process, out int tid) => TryPick(out core, out process, out tid, out _);

    /// <summary>As <see cref="TryPick(out int, out int, out int)"/>, with the cycle the quantum would start at.</summary>
    public bool TryPick(out int core, out int process, out int tid, out ulong start)
    {
        core = -1;
        process = -1;
        tid = -1;
        ulong bestStart = ulong.MaxValue;
        for (int c = 1; c < _cores.Length; c++)
        {
            ulong clock = _cores[c].Cycles;
            for (int p = 0; p < KernelConstants.MaxProcesses; p++)
            {
                if (!_processes.IsLive(p))
                {
                    continue;
                }

                ref RunQueue queue = ref _state.RunQueue(p);
                for (int i = 0; i < queue.Count; i++)
                {
                    int t = queue.Threads[(queue.Head + i) % RunQueue.Capacity];
                    ref ThreadEntry thread = ref _state.Thread(p, t);
                    if (thread.Core != c || thread.State != ThreadStatus.Ready)
                    {
                        continue;
                    }

                    ulong begins = Math.Max(clock, thread.ReadyAt);
                    if (begins < bestStart)
                    {
                        bestStart = begins;
                        core = c;
                        process = p;
                        tid = t;
                    }

                    if (begins == clock)
                    {
                        // The first thread of the queue that is ready now is this core's choice.
                        goto nextCore;
                    }
                }
            }

        nextCore:;
        }

        start = bestStart;
        return core >= 0;
    }
}
