namespace EcsMm.Scenario;

/// <summary>One step of a scenario's workload. <see cref="Line"/> is where the file declares it (0 when built in code).</summary>
public abstract record WorkloadStep(int Line)
{
    /// <summary>The step's keyword in scenario files.</summary>
    public abstract string Kind { get; }

    /// <summary>The step needs the whole VM model (faults, reporting, host, user memory, background work), not the allocator alone.</summary>
    public virtual bool NeedsVm => false;
}

/// <summary>How alloc_once maps its memory: anonymous (THP as configured), or hugetlb surplus pages (MAP_HUGETLB).</summary>
public enum AllocHuge
{
    None,
    Hugetlb,
}

/// <summary>
/// The seed's alloc_once: mmap <see cref="SizeBytes"/>, MADV_POPULATE_WRITE, [with <see cref="Write"/>: write data
/// to every page, a workload that uses its memory,] munmap.
/// </summary>
public sealed record AllocOnceStep(int Line, long SizeBytes, AllocHuge Huge, bool Write = false) : WorkloadStep(Line)
{
    public override string Kind => "alloc_once";

    public override bool NeedsVm => true;
}

/// <summary>Write to /sys/module/page_reporting/parameters/flush: report up to <see cref="Pages"/> pages now.</summary>
public sealed record FlushStep(int Line, long Pages) : WorkloadStep(Line)
{
    public override string Kind => "flush";

    public override bool NeedsVm => true;
}

/// <summary>echo 3 &gt; /proc/sys/vm/drop_caches.</summary>
public sealed record DropCachesStep(int Line) : WorkloadStep(Line)
{
    public override string Kind => "drop_caches";

    public override bool NeedsVm => true;
}

/// <summary>Let simulated time pass (timers such as the reporting delay fire).</summary>
public sealed record SleepStep(int Line, double Seconds) : WorkloadStep(Line)
{
    public override string Kind => "sleep";
}

/// <summary>Kinds of background workload.</summary>
public enum BackgroundKind
{
    PageCache,
    Slab,
    Mixed,
}

/// <summary>A background workload that fragments memory (page cache, slab-like kernel allocations, mixed churn).</summary>
public sealed record BackgroundStep(int Line, BackgroundKind Workload, long SizeBytes) : WorkloadStep(Line)
{
    public override string Kind => "background";

    public override bool NeedsVm => true;
}

/// <summary>
/// Allocator churn: <see cref="Operations"/> seeded random operations straight on the buddy allocator — allocate a
/// block of a random order in [<see cref="MinOrder"/>, <see cref="MaxOrder"/>] with the given migratetype, or free a
/// random live block — keeping at most <see cref="LiveBytes"/> allocated. No faults, no page cache, no zeroing
/// model: it exercises __alloc_pages / __free_pages and fragmentation, nothing more. Blocks still live at the end of
/// the step are freed when <see cref="FreeAtEnd"/>. With <see cref="Zero"/> the allocations carry __GFP_ZERO, so
/// post_alloc_hook zeroes them (or skips it when the page carries the zeroed hint).
/// </summary>
public sealed record ChurnStep(int Line, long Operations, long LiveBytes, int MinOrder, int MaxOrder, string Migratetype, bool FreeAtEnd, bool Zero = false) : WorkloadStep(Line)
{
    public override string Kind => "churn";
}

/// <summary>
/// echo <see cref="Enabled"/> &gt; /sys/kernel/mm/transparent_hugepage/enabled (always, madvise or never): the fault path
/// follows the new mode, and start_stop_khugepaged() recomputes min_free_kbytes, the watermarks and pcp high.
/// </summary>
public sealed record ThpStep(int Line, string Enabled) : WorkloadStep(Line)
{
    public override string Kind => "thp";
}
