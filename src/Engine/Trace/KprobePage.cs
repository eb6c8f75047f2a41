namespace EcsMm.Trace;

/// <summary>
/// Converts the <c>struct page *</c> printed by the reporting kprobes to a PFN: on x86-64 with 4-level paging
/// and no KASLR, <c>vmemmap</c> starts at <c>0xffffea0000000000</c> and each <c>struct page</c> is 64 bytes, so
/// <c>pfn = (page - 0xffffea0000000000) / 64</c>.
/// </summary>
public static class KprobePage
{
    /// <summary>VMEMMAP_START for 4-level paging without KASLR.</summary>
    public const ulong VmemmapBase = 0xffffea0000000000UL;

    /// <summary><c>sizeof(struct page)</c> on x86-64.</summary>
    public const int StructPageSize = 64;

    /// <summary>The PFN of a page pointer, or false when it is not a <c>struct page</c> inside vmemmap.</summary>
    public static bool TryToPfn(ulong page, out long pfn)
    {
        pfn = -1;
        if (page < VmemmapBase)
        {
            return false;
        }

        ulong offset = page - VmemmapBase;
        if (offset % StructPageSize != 0 || offset / StructPageSize > long.MaxValue)
        {
            return false;
        }

        pfn = (long)(offset / StructPageSize);
        return true;
    }

    /// <summary>The <c>struct page *</c> of a PFN (the inverse of <see cref="TryToPfn"/>).</summary>
    public static ulong FromPfn(long pfn) => VmemmapBase + ((ulong)pfn * StructPageSize);
}
