using EcsMm.Trace;

namespace EcsMm.Tests.Trace;

public sealed class SizeParserTests
{
    [Theory]
    [InlineData("4096", 4096UL)]
    [InlineData("1K", 1024UL)]
    [InlineData("64M", 64UL << 20)]
    [InlineData("1G", 1UL << 30)]
    [InlineData("1g", 1UL << 30)]
    [InlineData("2T", 2UL << 40)]
    [InlineData("512MiB", 512UL << 20)]
    [InlineData("1GB", 1UL << 30)]
    [InlineData(" 8G ", 8UL << 30)]
    [InlineData("16 G", 16UL << 30)]
    public void ParsesBinaryUnits(string text, ulong bytes) => Assert.Equal(bytes, SizeParser.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "must start with a whole number")]
    [InlineData("-1G", "must start with a whole number")]
    [InlineData("1.5G", "unknown unit '.5G'")]
    [InlineData("1X", "unknown unit 'X'")]
    [InlineData("1Gx", "unknown unit 'Gx'")]
    [InlineData("0", "greater than zero")]
    [InlineData("0G", "greater than zero")]
    [InlineData("99999999999999999999", "too large")]
    [InlineData("20000000T", "too large")]
    public void RejectsBadInputWithAReason(string text, string reason)
    {
        Assert.False(SizeParser.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error);
        var ex = Assert.Throws<FormatException>(() => SizeParser.Parse(text));
        Assert.Equal(error, ex.Message);
    }
}
