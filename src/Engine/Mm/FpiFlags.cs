namespace EcsMm.Mm;

/// <summary>fpi_t: flags for the internal free paths (mm/page_alloc.c).</summary>
[Flags]
public enum FpiFlags
{
    /// <summary>FPI_NONE.</summary>
    None = 0,

    /// <summary>FPI_SKIP_REPORT_NOTIFY: the page was only pulled temporarily and goes back unmodified; do not notify free page reporting.</summary>
    SkipReportNotify = 1 << 0,

    /// <summary>FPI_TO_TAIL: put the block at the tail of its free list (onlining, boot, reporting putback).</summary>
    ToTail = 1 << 1,
}
