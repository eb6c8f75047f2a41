using System.Diagnostics.Tracing;
using EcsMm.Ecs;

namespace EcsMm.Tests.Ecs;

[Collection(EventSourceCollection.Name)]
public sealed class EventSourceTests
{
    private sealed class Recorder : EventListener
    {
        private readonly List<(string Event, string Name)> _events = [];

        public List<(string Event, string Name)> Snapshot(string prefix)
        {
            lock (_events)
            {
                return _events.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "EcsMm")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventSource.Name != "EcsMm" || e.Payload is null || e.Payload.Count == 0)
            {
                return;
            }

            lock (_events)
            {
                _events.Add((e.EventName!, (string)e.Payload[0]!));
            }
        }
    }

    [Fact]
    public void TheEventSourceIsNamedEcsMm()
    {
        Assert.Equal("EcsMm", EcsMmEventSource.Log.Name);
        Assert.Equal("EcsMm", EventSource.GetName(typeof(EcsMmEventSource)));
    }

    [Fact]
    public void AListenerReceivesPhaseAndSystemStartStopInOrder()
    {
        // Phase names unique to this test, so events from pipelines run by other tests in parallel are filtered out.
        var pipeline = new Pipeline(["EvtA", "EvtB"]);
        pipeline.Add("EvtA", new DelegateSystem("EvtA.sys1", (World _, in SimTime _) => { }));
        pipeline.Add("EvtA", new DelegateSystem("EvtA.sys2", (World _, in SimTime _) => { }));
        pipeline.Disable("EvtA.sys2");

        using var recorder = new Recorder();
        Assert.True(EcsMmEventSource.Log.IsEnabled());
        pipeline.Run(new World(seed: 1));

        Assert.Equal(
            [
                ("PhaseStart", "EvtA"),
                ("SystemStart", "EvtA.sys1"),
                ("SystemStop", "EvtA.sys1"),
                ("PhaseStop", "EvtA"),
                ("PhaseStart", "EvtB"),
                ("PhaseStop", "EvtB"),
            ],
            recorder.Snapshot("Evt"));
    }

    [Fact]
    public void PipelineRunsWithoutAListener()
    {
        // No listener in this test's scope: the pipeline must still run every system (events are optional).
        var pipeline = new Pipeline(["Quiet"]);
        var calls = 0;
        pipeline.Add("Quiet", new DelegateSystem("quiet", (World _, in SimTime _) => calls++));
        pipeline.Run(new World(seed: 1), steps: 4);
        Assert.Equal(4, calls);
    }
}
