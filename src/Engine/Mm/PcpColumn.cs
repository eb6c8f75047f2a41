namespace EcsMm.Mm;

/// <summary>One counter of <see cref="PcpState"/>.</summary>
public enum PcpField
{
    Count,
    High,
    HighMin,
    HighMax,
    Batch,
    FreeFactor,
    AllocFactor,
    FreeCount,
}

/// <summary>
/// One counter of every pcp, indexed by pcp id (<c>pcps.High[pcp]</c>): a convenience for tests and user code that
/// inspect one field. The engine itself takes the whole <see cref="PcpState"/> with <see cref="PerCpuPages.State"/>.
/// </summary>
public readonly struct PcpColumn(PcpState[] states, PcpField field)
{
    /// <summary>Number of pcps (CPUs × zones).</summary>
    public int Length => states.Length;

    public ref int this[int pcp]
    {
        get
        {
            ref var s = ref states[pcp];
            switch (field)
            {
                case PcpField.Count: return ref s.Count;
                case PcpField.High: return ref s.High;
                case PcpField.HighMin: return ref s.HighMin;
                case PcpField.HighMax: return ref s.HighMax;
                case PcpField.Batch: return ref s.Batch;
                case PcpField.FreeFactor: return ref s.FreeFactor;
                case PcpField.AllocFactor: return ref s.AllocFactor;
                default: return ref s.FreeCount;
            }
        }
    }
}
