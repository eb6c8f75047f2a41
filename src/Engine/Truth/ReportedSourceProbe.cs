using EcsMm.Mm;
using EcsMm.Virt;

namespace EcsMm.Truth;

/// <summary>
/// Measures whether an allocation was served from reported pages. The kernel cannot tell in baseline mode
/// (PG_reported is dropped when a block leaves its free list), so the measure is the host's ground truth: a block
/// counts as served from reported pages when, at the moment the allocator hands it out and before anyone writes to
/// it, every host page under it is still discarded since a report (or a balloon inflation) and not populated
/// again. Pages the guest never wrote after a discard (an optimized MADV_POPULATE_WRITE skips the zeroing) stay
/// discarded through a free and count again when reused: they are still host-zeroed, unbacked memory.
/// It sits between post_alloc_hook and the <see cref="ZeroingOracle"/> so that a zeroing done by the allocator
/// (__GFP_ZERO) is measured before its write repopulates the pages; for allocations that do not zero, the caller
/// measures right after the allocation (<see cref="MeasureIfPending"/>).
/// </summary>
public sealed class ReportedSourceProbe : IAllocZeroingHook
{
    private readonly IAllocZeroingHook _inner;
    private bool _armed;

    public ReportedSourceProbe(IAllocZeroingHook inner, Host? host)
    {
        _inner = inner;
        Host = host;
    }

    public Host? Host { get; }

    /// <summary>Result of the last measurement.</summary>
    public bool LastFromReported { get; private set; }

    /// <summary>Measure the next allocation (a fault's), not the ones in between.</summary>
    public void Arm()
    {
        _armed = true;
        LastFromReported = false;
    }

    /// <summary>Stop waiting for a measurement (the fault did not allocate from buddy).</summary>
    public void Disarm() => _armed = false;

    /// <summary>Measure the block now unless post_alloc_hook already did.</summary>
    public bool MeasureIfPending(int pfn, int order)
    {
        if (_armed)
        {
            Measure(pfn, order);
        }

        return LastFromReported;
    }

    /// <summary>Whether every host page under [pfn, pfn + 2^order) is discarded and not populated since.</summary>
    public bool AllDiscarded(int pfn, int order)
    {
        if (Host is null)
        {
            return false;
        }

        var step = 1 << Host.HostPageOrder;
        var end = pfn + (1 << order);
        for (var p = pfn; p < end; p += step)
        {
            if (!Host.IsDiscarded(p))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public void OnGuestZeroing(int pfn, int order)
    {
        MeasureIfPending(pfn, order);
        _inner.OnGuestZeroing(pfn, order);
    }

    /// <inheritdoc/>
    public void OnZeroingSkipped(int pfn, int order)
    {
        MeasureIfPending(pfn, order);
        _inner.OnZeroingSkipped(pfn, order);
    }

    private void Measure(int pfn, int order)
    {
        _armed = false;
        LastFromReported = AllDiscarded(pfn, order);
    }
}
