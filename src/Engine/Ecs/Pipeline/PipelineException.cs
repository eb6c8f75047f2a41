namespace EcsMm.Ecs;

/// <summary>A pipeline that cannot be ordered or run as configured: an unknown phase or system name, a duplicate, or an ordering cycle.</summary>
public sealed class PipelineException : InvalidOperationException
{
    public PipelineException(string message)
        : base(message)
    {
    }
}
