using BenchmarkDotNet.Running;

namespace EcsMm.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher, or <c>boot SIZE [--prefault]</c> for the one-off boot probe (<see cref="BootProbe"/>).</summary>
    public static int Main(string[] args)
    {
        if (args.Length is 2 or 3 && args[0] == "boot")
        {
            return BootProbe.Run(args[1], prefault: args.Length == 3 && args[2] == "--prefault");
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
