using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

public sealed class SimClockTests
{
    [Fact]
    public void TimeMovesOnlyWhenAdvanced()
    {
        var clock = new SimClock();
        Assert.Equal(0, clock.NowNs);
        clock.Advance(250);
        clock.Advance(750);
        Assert.Equal(1_000, clock.NowNs);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(999));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(-1));
    }

    [Fact]
    public void EventsFireInTimeOrderAtTheirOwnTime()
    {
        var clock = new SimClock();
        var fired = new List<(string Name, long At)>();
        clock.Schedule(300, "flush", c => fired.Add(("flush", c.NowNs)));
        clock.Schedule(100, "report", c => fired.Add(("report", c.NowNs)));
        clock.Schedule(200, "host", c => fired.Add(("host", c.NowNs)));

        Assert.Equal(100, clock.NextEventNs);
        Assert.Equal(2, clock.AdvanceTo(250));
        Assert.Equal([("report", 100L), ("host", 200L)], fired);
        Assert.Equal(250, clock.NowNs);
        Assert.Equal(1, clock.PendingEvents);

        clock.AdvanceTo(300);
        Assert.Equal(("flush", 300L), fired[^1]);
        Assert.Null(clock.NextEventNs);
    }

    [Fact]
    public void EventsAtTheSameTimeFireInScheduleOrder()
    {
        var clock = new SimClock();
        var fired = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            clock.Schedule(1_000, "e" + n, _ => fired.Add(n));
        }

        clock.Advance(1_000);
        Assert.Equal(Enumerable.Range(0, 50), fired);
    }

    [Fact]
    public void AnEventCanScheduleAnotherThatFiresInTheSameAdvance()
    {
        var clock = new SimClock();
        var fired = new List<long>();
        clock.Schedule(10, "first", c =>
        {
            fired.Add(c.NowNs);
            c.ScheduleAfter(5, "second", c2 => fired.Add(c2.NowNs));
        });
        clock.AdvanceTo(100);
        Assert.Equal([10L, 15L], fired);
    }

    [Fact]
    public void CancelledEventsDoNotFire()
    {
        var clock = new SimClock();
        var fired = new List<string>();
        var id = clock.Schedule(10, "a", _ => fired.Add("a"));
        clock.Schedule(20, "b", _ => fired.Add("b"));
        Assert.True(clock.Cancel(id));
        Assert.False(clock.Cancel(id));
        Assert.Equal(20, clock.NextEventNs);
        clock.AdvanceTo(30);
        Assert.Equal(["b"], fired);
        Assert.Equal(0, clock.PendingEvents);
    }

    [Fact]
    public void SchedulingInThePastIsRejected()
    {
        var clock = new SimClock();
        clock.Advance(100);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Schedule(50, "late", _ => { }));
    }
}
