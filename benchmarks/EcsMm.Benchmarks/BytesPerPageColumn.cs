using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EcsMm.Benchmarks;

/// <summary>
/// A summary column: the bytes the measured operation allocated (MemoryDiagnoser) divided by the guest's pages
/// (the benchmark's <c>Size</c> parameter), i.e. the simulator's state per page when the operation builds a guest.
/// </summary>
public sealed class BytesPerPageColumn : IColumn
{
    public string Id => nameof(BytesPerPageColumn);

    public string ColumnName => "Bytes/page";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes allocated per operation / pages of the guest";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var size = benchmarkCase.Parameters["Size"] as string;
        if (report is null || size is null)
        {
            return "-";
        }

        var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        if (bytes is null)
        {
            return "-";
        }

        var pages = Guests.Bytes(size) >> Mm.MmConstants.PageShift;
        return ((double)bytes.Value / pages).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
