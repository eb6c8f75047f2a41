namespace EcsMm.Scenarios;

/// <summary>The <c>ecsmm</c> command line.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("ecsmm: scenario runner (commands arrive with the runner issue)");
        return 0;
    }
}
