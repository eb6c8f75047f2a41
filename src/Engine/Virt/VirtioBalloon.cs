using EcsMm.Mm;

namespace EcsMm.Virt;

/// <summary>
/// The virtio-balloon driver (drivers/virtio/virtio_balloon.c) as far as free page reporting and the balloon go,
/// talking to the <see cref="Host"/> (QEMU hw/virtio/virtio-balloon.c). Its reporting side is
/// virtballoon_free_page_report(): the batch goes on the reporting virtqueue and the worker waits for the host to
/// hand it back (modelled as one synchronous call). The balloon side (fill_balloon / leak_balloon) lives in
/// <c>VirtioBalloon.Balloon.cs</c>.
/// </summary>
public sealed partial class VirtioBalloon : IPageReportingDevice
{
    public VirtioBalloon(PageAlloc alloc, Host host, bool hostZeroesPages = false, bool deviceInitReported = false)
    {
        Alloc = alloc;
        Host = host;
        HostZeroesPages = hostZeroesPages;
        DeviceInitReported = deviceInitReported;
    }

    /// <summary>
    /// VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED negotiated (the series from v5 on): the device returns, per reported
    /// entry, whether it initialized the page (used length = the entry's size), and only those entries get PG_zeroed.
    /// Off: v2, which trusts host_zeroes_pages for every entry.
    /// </summary>
    public bool DeviceInitReported { get; }

    public PageAlloc Alloc { get; }

    public Host Host { get; }

    /// <summary>
    /// The host_zeroes_pages module parameter (seed patch 15, 0444, "a testing hack"): copied into
    /// pr_dev_info.host_zeroes_pages before page_reporting_register().
    /// </summary>
    public bool HostZeroesPages { get; }

    /// <summary>pr_dev_info.order: virtio_balloon sets it only on arm64 with 64 KiB pages; on x86 it is left unset.</summary>
    public int Order => -1;

    /// <summary>Report calls the device received.</summary>
    public long Reports { get; private set; }

    /// <summary>
    /// virtballoon_free_page_report(): virtqueue_add_inbuf(reporting_vq, sg, nents), kick, wait for the buffer;
    /// the host runs virtio_balloon_handle_report() on it. Never fails here (the queue is sized for the capacity).
    /// </summary>
    public int Report(ReadOnlySpan<ReportedBlock> blocks)
    {
        Reports++;
        Host.HandleReport(blocks);
        return 0;
    }

    /// <summary>
    /// The same, with the device's per-entry answer: with <see cref="DeviceInitReported"/> an entry counts as
    /// initialized only if the host discarded (zeroed) the whole block; without it every entry does (v2).
    /// </summary>
    public int Report(ReadOnlySpan<ReportedBlock> blocks, Span<bool> initialized)
    {
        if (!DeviceInitReported)
        {
            initialized.Fill(true);
            return Report(blocks);
        }

        Reports++;
        Host.HandleReport(blocks, initialized);
        return 0;
    }
}
