using System.Text;
using EcsMm.Mm;
using EcsMm.Scenarios;

namespace EcsMm.Tests.Bench;

/// <summary>The built-in scenario data files and their parser.</summary>
public sealed class ScenarioFileTests
{
    [Fact]
    public void BuiltInFiles_LoadWithTheSeedParameters()
    {
        var thp = BuiltInScenarios.Load("seed-thp");
        var nothp = BuiltInScenarios.Load("seed-nothp");
        var huge = BuiltInScenarios.Load("seed-hugetlb");
        Assert.Equal((2048, 256, 10, 512), (thp.GuestMiB, thp.SizeMiB, thp.Iterations, thp.FlushBudget));
        Assert.Equal(ThpEnabled.Always, thp.Thp);
        Assert.Equal(ThpEnabled.Never, nothp.Thp);
        Assert.True(huge.Hugetlb);
        Assert.False(thp.Hugetlb);
    }

    [Fact]
    public void UnknownKey_IsAnErrorNamingFileLineAndKey()
    {
        var json = "{\n  \"name\": \"x\",\n  \"sizeMB\": 3\n}";
        var e = Assert.Throws<ArgumentException>(() => BuiltInScenarios.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "my.json"));
        Assert.Contains("my.json", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("sizeMB", e.Message);
    }

    [Fact]
    public void BadValue_IsAnErrorNamingTheFile()
    {
        var json = "{ \"name\": \"x\", \"iterations\": 0 }";
        var e = Assert.Throws<ArgumentException>(() => BuiltInScenarios.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        Assert.Contains("iterations", e.Message);
        Assert.Throws<ArgumentException>(() => BuiltInScenarios.Load("no-such"));
    }
}
