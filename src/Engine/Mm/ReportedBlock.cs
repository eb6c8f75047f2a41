namespace EcsMm.Mm;

/// <summary>One scatterlist entry of a report: a free block of 2^order pages at a PFN (sg_set_page(page, PAGE_SIZE &lt;&lt; order)).</summary>
public readonly record struct ReportedBlock(int Pfn, int Order);
