namespace EcsMm.Scenarios.Cli;

/// <summary>
/// A mistake in what the user gave us (a file, an option, a value). The command line prints its message, without a
/// stack trace, and exits with code 2.
/// </summary>
public sealed class UserInputException : Exception
{
    public UserInputException(string message)
        : base(message)
    {
    }

    public UserInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>An error at a place in a file: <c>file:line: key: what was wrong; expected what</c>.</summary>
    public static UserInputException At(string file, long line, string key, string message) =>
        new(line > 0 ? $"{file}:{line}: {key}: {message}" : $"{file}: {key}: {message}");
}
