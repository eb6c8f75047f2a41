namespace EcsMm.Tests.Trace;

/// <summary>Paths of the shipped linux-6.1-qemu capture (copied to the test output directory).</summary>
internal static class TraceData
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data", "linux-6.1-qemu");

    public static string TracePath => Path.Combine(Folder, "trace.txt.gz");

    /// <summary>The 20 snapshot names, in capture order.</summary>
    public static readonly string[] Snapshots =
    [
        "00_boot", "01_after_balloon_init",
        "10_thp_always_64.i1.pre", "10_thp_always_64.i1.post", "10_thp_always_64.i1.post4s",
        "10_thp_always_64.i2.pre", "10_thp_always_64.i2.post", "10_thp_always_64.i2.post4s",
        "10_thp_always_64.i3.pre", "10_thp_always_64.i3.post", "10_thp_always_64.i3.post4s",
        "20_thp_never_64.i1.pre", "20_thp_never_64.i1.post", "20_thp_never_64.i1.post4s",
        "20_thp_never_64.i2.pre", "20_thp_never_64.i2.post", "20_thp_never_64.i2.post4s",
        "20_thp_never_64.i3.pre", "20_thp_never_64.i3.post", "20_thp_never_64.i3.post4s",
    ];

    public static TheoryData<string> SnapshotNames()
    {
        var data = new TheoryData<string>();
        foreach (string s in Snapshots)
        {
            data.Add(s);
        }

        return data;
    }

    public static string BuddyDumpPath(string snapshot) => Path.Combine(Folder, $"buddydump.{snapshot}.txt.gz");

    public static string BuddyInfoPath(string snapshot) => Path.Combine(Folder, $"buddyinfo.{snapshot}");
}
