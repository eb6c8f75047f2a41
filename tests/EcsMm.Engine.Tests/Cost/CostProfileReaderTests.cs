using EcsMm.Cost;

namespace EcsMm.Tests.Cost;

/// <summary>The constants file and the cost profile files of <c>ecsmm calibrate</c>.</summary>
public sealed class CostProfileReaderTests
{
    private const string CalibrateOutput = """
        # EcsMm cost profile: measured by 'ecsmm calibrate'
        # machine: Linux; X64; 2 cores; .NET 10
        measured:
          zero_4k_bytes_per_second: 5000000000
          zero_2m_bytes_per_second: 8000000000
          ecsmm_version: 0.1.0
          ecsmm_commit: abc
        """;

    [Fact]
    public void Default_EveryConstantNamesASourceOrItsFit()
    {
        var p = CostProfile.Default;
        Assert.Equal(CostProfile.Names.Count, p.Constants.Count());
        foreach (var c in p.Constants)
        {
            Assert.True(c.Source.Contains("KD7", StringComparison.Ordinal) || c.Source.Contains("PA-b", StringComparison.Ordinal) || c.IsFitted || c.Source.Contains("kernel source", StringComparison.Ordinal), c.Name);
            Assert.True(c.Value > 0, c.Name);
        }

        Assert.Equal(3, p.Constants.Count(c => c.IsFitted));
        Assert.Equal("seed-thp", p.Target.Scenario);
        Assert.Equal("baseline", p.Target.Mode);
    }

    [Fact]
    public void CalibrateProfile_OverridesGuestAndHostBandwidths()
    {
        var p = CostProfileReader.ApplyProfile(CalibrateOutput, "my.costs.yaml", CostProfile.Default);
        Assert.Equal(5e9, p.Value(CostProfile.ZeroBw4K));
        Assert.Equal(5e9, p.Value(CostProfile.HostZeroBw4K));
        Assert.Equal(8e9, p.Value(CostProfile.ZeroBw2M));
        Assert.Equal(8e9, p.Value(CostProfile.HostZeroBw2M));
        Assert.Contains("my.costs.yaml line 4", p[CostProfile.ZeroBw4K].Source);
        Assert.Equal(CostProfile.Default.Value(CostProfile.FaultHandlerNs), p.Value(CostProfile.FaultHandlerNs));
    }

    [Fact]
    public void ConstantsSection_OverridesAnyConstantByName()
    {
        var p = CostProfileReader.ApplyProfile("constants:\n  host_populate_overhead_ns: 5000\n", "f.yaml", CostProfile.Default);
        Assert.Equal(5000, p.Value(CostProfile.HostPopulateOverheadNs));
    }

    [Theory]
    [InlineData("measured:\n  zero_8k_bytes_per_second: 1\n", 2, "zero_8k_bytes_per_second")]
    [InlineData("measured:\n  zero_4k_bytes_per_second: fast\n", 2, "zero_4k_bytes_per_second")]
    [InlineData("measured:\n  zero_4k_bytes_per_second: -1\n", 2, "zero_4k_bytes_per_second")]
    [InlineData("# c\n  zero_4k_bytes_per_second: 1\n", 2, "zero_4k_bytes_per_second")]
    [InlineData("other:\n", 1, "other")]
    [InlineData("constants:\n  no_such_cost: 3\n", 2, "no_such_cost")]
    public void BadProfile_ErrorNamesFileLineAndKey(string text, int line, string key)
    {
        var e = Assert.Throws<CostProfileException>(() => CostProfileReader.ApplyProfile(text, "bad.yaml", CostProfile.Default));
        Assert.Equal("bad.yaml", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"bad.yaml:{line}: {key}: ", e.Message);
    }

    [Fact]
    public void LoadProfile_MissingFile_IsAProfileError()
    {
        var e = Assert.Throws<CostProfileException>(() => CostProfileReader.LoadProfile(Path.Combine(Path.GetTempPath(), "ecsmm-no-such-profile.yaml")));
        Assert.Contains("cannot read", e.Message);
    }

    [Fact]
    public void ConstantsFile_WithoutSource_IsRejectedWithItsLine()
    {
        const string json = "{\n \"constants\": {\n  \"fault_handler_ns\": { \"value\": 1, \"unit\": \"ns\", \"source\": \"\" }\n }\n}";
        var e = Assert.Throws<CostProfileException>(() => CostProfileReader.ParseConstants(json, "c.json"));
        Assert.Equal(3, e.Line);
        Assert.Equal("fault_handler_ns", e.Key);
    }

    [Fact]
    public void ConstantsFile_WithAnUnknownConstant_IsRejectedWithItsLine()
    {
        const string json = "{\n \"constants\": {\n  \"fault_handler_nss\": { \"value\": 1, \"unit\": \"ns\", \"source\": \"x\" }\n }\n}";
        var e = Assert.Throws<CostProfileException>(() => CostProfileReader.ParseConstants(json, "c.json"));
        Assert.Equal(3, e.Line);
        Assert.Equal("fault_handler_nss", e.Key);
        Assert.Contains("unknown cost constant", e.Message);
    }
}
