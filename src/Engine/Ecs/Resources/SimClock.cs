namespace EcsMm.Ecs;

/// <summary>
/// Simulated time in nanoseconds, advanced only explicitly, with events scheduled at a time (the reporting delay,
/// a flush, host latency). Events fire in time order; events at the same time fire in the order they were
/// scheduled, so a run is deterministic. While an event fires, <see cref="NowNs"/> is the event's time.
/// </summary>
public sealed class SimClock
{
    private readonly PriorityQueue<ScheduledEvent, (long Time, long Sequence)> _queue = new();
    private readonly HashSet<long> _pending = [];
    private readonly HashSet<long> _cancelled = [];
    private long _nextSequence;

    /// <summary>The current simulated time.</summary>
    public long NowNs { get; private set; }

    /// <summary>Events scheduled and not yet fired or cancelled.</summary>
    public int PendingEvents => _pending.Count;

    /// <summary>The time of the earliest pending event, or null.</summary>
    public long? NextEventNs
    {
        get
        {
            DropCancelledHead();
            return _queue.TryPeek(out _, out var key) ? key.Time : null;
        }
    }

    /// <summary>Schedules <paramref name="action"/> to run at <paramref name="timeNs"/> (not before now).</summary>
    public ClockEventId Schedule(long timeNs, string name, Action<SimClock> action)
    {
        if (timeNs < NowNs)
        {
            throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, $"cannot schedule '{name}' in the past (now {NowNs} ns)");
        }

        var sequence = _nextSequence++;
        _pending.Add(sequence);
        _queue.Enqueue(new ScheduledEvent(name, sequence, action), (timeNs, sequence));
        return new ClockEventId(sequence);
    }

    /// <summary>Schedules <paramref name="action"/> to run <paramref name="delayNs"/> after now.</summary>
    public ClockEventId ScheduleAfter(long delayNs, string name, Action<SimClock> action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        return Schedule(checked(NowNs + delayNs), name, action);
    }

    /// <summary>Cancels a pending event; returns false if it already fired or was cancelled.</summary>
    public bool Cancel(ClockEventId id)
    {
        if (!_pending.Remove(id.Sequence))
        {
            return false;
        }

        // Lazy deletion: the entry stays queued and is skipped when it reaches the head.
        _cancelled.Add(id.Sequence);
        return true;
    }

    /// <summary>Advances time by <paramref name="deltaNs"/>, firing due events; returns how many fired.</summary>
    public int Advance(long deltaNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deltaNs);
        return AdvanceTo(checked(NowNs + deltaNs));
    }

    /// <summary>Advances time to <paramref name="timeNs"/>, firing every event due at or before it; returns how many fired.</summary>
    public int AdvanceTo(long timeNs)
    {
        if (timeNs < NowNs)
        {
            throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, $"time only moves forward (now {NowNs} ns)");
        }

        var fired = 0;
        while (_queue.TryPeek(out var next, out var key) && key.Time <= timeNs)
        {
            _queue.Dequeue();
            if (_cancelled.Remove(key.Sequence))
            {
                continue;
            }

            NowNs = key.Time;
            _pending.Remove(key.Sequence);
            next.Action(this);
            fired++;
        }

        NowNs = timeNs;
        return fired;
    }

    private void DropCancelledHead()
    {
        while (_queue.TryPeek(out _, out var key) && _cancelled.Remove(key.Sequence))
        {
            _queue.Dequeue();
        }
    }

    private readonly record struct ScheduledEvent(string Name, long Sequence, Action<SimClock> Action);
}

/// <summary>Identifies an event scheduled on a <see cref="SimClock"/>, for <see cref="SimClock.Cancel"/>.</summary>
public readonly record struct ClockEventId(long Sequence);
