using System.Diagnostics;
using EcsMm.Mm;

namespace EcsMm.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- boot SIZE [--prefault]</c>: build and boot one guest outside BenchmarkDotNet and print
/// the time of each step, the bytes the columns took (GC.GetTotalAllocatedBytes around construction) per page, and
/// the free pages after boot. With <c>--prefault</c> the columns are first touched once per 4 KiB (timed on its
/// own), so Boot's time is the simulator's work alone, without the operating system's first-touch page faults. Used by hand for the 4 TiB (2^30 pages) check under <c>/usr/bin/time -v</c> for peak RSS.
/// </summary>
internal static class BootProbe
{
    public static int Run(string size, bool prefault)
    {
        long bytes;
        try
        {
            bytes = Guests.Bytes(size);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"boot: size '{size}': expected a number with a K, M, G or T suffix (e.g. 4T)");
            return 2;
        }

        var config = new MemoryConfig { GuestBytes = bytes };
        var pages = config.PageCount;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var map = new MemMap(pages);
        var alloc = new PageAlloc(map, config);
        var constructMs = sw.Elapsed.TotalMilliseconds;
        var constructed = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (prefault)
        {
            sw.Restart();
            Touch(map.Flags);
            Touch(map.Next);
            Touch(map.Prev);
            Console.WriteLine($"prefault: {sw.Elapsed.TotalMilliseconds:F1} ms (first touch of every 4 KiB of the columns)");
        }

        sw.Restart();
        alloc.Boot();
        var bootMs = sw.Elapsed.TotalMilliseconds;
        long free = 0;
        foreach (var z in alloc.Zones)
        {
            free += z.FreePages;
        }

        var blocks = (pages + MmConstants.MaxOrderNrPages - 1) / MmConstants.MaxOrderNrPages;
        Console.WriteLine($"guest {size}: {pages} pages, {blocks} max-order blocks");
        Console.WriteLine($"construct: {constructMs:F1} ms, {constructed} bytes allocated = {(double)constructed / pages:F3} bytes/page (mem_map columns {map.BytesPerPage} bytes/page)");
        Console.WriteLine($"boot: {bootMs:F1} ms = {bootMs * 1e6 / blocks:F1} ns per max-order block, {bootMs * 1e6 / pages:F3} ns per page");
        Console.WriteLine($"free pages after boot: {free}; merges {alloc.Stats.BuddyMerges}");
        GC.KeepAlive(alloc);
        return 0;
    }

    private static void Touch<T>(T[] column)
        where T : unmanaged
    {
        var stride = 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (var i = 0; i < column.Length; i += stride)
        {
            column[i] = default;
        }
    }
}
