using System.Diagnostics;

namespace EcsMm.Generators.Tests;

/// <summary>
/// Turns a failed <see cref="Debug.Assert(bool, string)"/> into an <see cref="AssertionFailedException"/> for the
/// duration of a scope, by replacing the trace listeners (through which <c>Debug.Assert</c> reports once
/// <see cref="Trace"/> is initialised) with one that throws. Without it a failed assertion would end the process.
/// </summary>
internal sealed class AssertionCapture : IDisposable
{
    private readonly TraceListener[] _saved;

    public AssertionCapture()
    {
        _saved = System.Diagnostics.Trace.Listeners.Cast<TraceListener>().ToArray();
        System.Diagnostics.Trace.Listeners.Clear();
        System.Diagnostics.Trace.Listeners.Add(new ThrowingListener());
    }

    public void Dispose()
    {
        System.Diagnostics.Trace.Listeners.Clear();
        System.Diagnostics.Trace.Listeners.AddRange(_saved);
    }

    private sealed class ThrowingListener : TraceListener
    {
        public override void Fail(string? message, string? detailMessage) => throw new AssertionFailedException(message ?? string.Empty);

        public override void Write(string? message)
        {
        }

        public override void WriteLine(string? message)
        {
        }
    }
}

/// <summary>A <see cref="Debug.Assert(bool, string)"/> that failed inside an <see cref="AssertionCapture"/>.</summary>
internal sealed class AssertionFailedException(string message) : Exception(message);
