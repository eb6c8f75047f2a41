namespace EcsMm.Cost;

/// <summary>A cost constants or cost profile file is malformed; the message names the file, line and key.</summary>
public sealed class CostProfileException(string file, int line, string key, string problem)
    : ArgumentException($"{file}:{line}: {key}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Key { get; } = key;
}
