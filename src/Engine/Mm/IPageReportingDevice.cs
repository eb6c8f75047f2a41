namespace EcsMm.Mm;

/// <summary>struct page_reporting_dev_info: the device free page reporting hands its batches to.</summary>
public interface IPageReportingDevice
{
    /// <summary>prdev-&gt;order: the device's preferred page_reporting_order, or −1 for none (pageblock_order is used).</summary>
    int Order { get; }

    /// <summary>prdev-&gt;host_zeroes_pages (seed patch 15): reported blocks come back zeroed, so drain may set PG_zeroed.</summary>
    bool HostZeroesPages { get; }

    /// <summary>prdev-&gt;report(): report the blocks (synchronously, the worker waits for the device). 0 or a negative errno.</summary>
    int Report(ReadOnlySpan<ReportedBlock> blocks);

    /// <summary>
    /// prdev-&gt;report() with the device's answer per entry (the later series' VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED:
    /// the used length says whether the device initialized the page): <paramref name="initialized"/>[i] is true when
    /// block i came back zeroed. A device without that feedback answers true for every entry (v2 trusts
    /// host_zeroes_pages).
    /// </summary>
    int Report(ReadOnlySpan<ReportedBlock> blocks, Span<bool> initialized)
    {
        initialized.Fill(true);
        return Report(blocks);
    }
}
