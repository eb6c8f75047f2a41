namespace EcsMm.Mm;

/// <summary>
/// The mmu_gather of an unmap (mm/mmu_gather.c) as far as it decides the order pages are freed in: the first batch
/// has MMU_GATHER_BUNDLE entries, the next ones MAX_GATHER_BATCH each, up to MAX_GATHER_BATCH_COUNT of them; when they
/// are full (__tlb_remove_page_size returns true) the gather is flushed (tlb_flush_mmu → tlb_batch_pages_flush) and
/// fills again from its first batch. Each batch goes to free_pages_and_swap_cache → release_pages().
/// </summary>
public static class MmuGather
{
    /// <summary>MMU_GATHER_BUNDLE: the entries of the on-stack first batch.</summary>
    public const int Bundle = 8;

    /// <summary>MAX_GATHER_BATCH: the entries of a page-sized batch ((4096 − 16) / 8).</summary>
    public const int MaxBatch = 510;

    /// <summary>MAX_GATHER_BATCH_COUNT: page-sized batches before the gather is full (10000 / 510).</summary>
    public const int MaxBatchCount = 19;

    /// <summary>Entries a gather holds before it is flushed.</summary>
    public const int Capacity = Bundle + (MaxBatchCount * MaxBatch);

    /// <summary>
    /// Linux 6.1's release_pages() order for entries [0, n) gathered in address order (one entry per folio;
    /// <paramref name="large"/> marks the large ones): per batch, the large folios as release_pages meets them
    /// (__folio_put_large), then the small ones in reverse (list_add onto pages_to_free, which
    /// free_unref_page_list walks from the head). Writes the entries' indices, in free order, to <paramref name="order"/>.
    /// </summary>
    public static void ReleasePagesOrder61(ReadOnlySpan<bool> large, Span<int> order)
    {
        var n = large.Length;
        var o = 0;
        for (var flush = 0; flush < n; flush += Capacity)
        {
            var flushEnd = Math.Min(n, flush + Capacity);
            var batch = Bundle;
            for (var start = flush; start < flushEnd; start += batch, batch = MaxBatch)
            {
                var end = Math.Min(flushEnd, start + batch);
                for (var i = start; i < end; i++)
                {
                    if (large[i])
                    {
                        order[o++] = i;
                    }
                }

                for (var i = end - 1; i >= start; i--)
                {
                    if (!large[i])
                    {
                        order[o++] = i;
                    }
                }
            }
        }
    }
}
