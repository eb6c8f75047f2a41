using BenchmarkDotNet.Running;

namespace EcsMm.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher, <c>boot SIZE [--prefault]</c> for the one-off boot probe (<see cref="BootProbe"/>), <c>workload SIZE STEPS</c> for a pipeline run to trace (<see cref="WorkloadProbe"/>), or <c>seed</c> / <c>seed-thp SIZE</c> for the seed experiment's wall time (<see cref="SeedExperimentProbe"/>).</summary>
    public static int Main(string[] args)
    {
        if (args.Length is 2 or 3 && args[0] == "boot")
        {
            return BootProbe.Run(args[1], prefault: args.Length == 3 && args[2] == "--prefault");
        }

        if (args.Length == 1 && args[0] == "seed")
        {
            return SeedExperimentProbe.Run();
        }

        if (args.Length == 2 && args[0] == "seed-thp")
        {
            return SeedExperimentProbe.RunThpAt(args[1]);
        }

        if (args.Length == 3 && args[0] == "workload")
        {
            return WorkloadProbe.Run(args[1], args[2]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
