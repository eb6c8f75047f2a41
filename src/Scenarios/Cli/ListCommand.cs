using System.CommandLine;
using EcsMm.Scenarios.Model;
using EcsMm.Scenarios.Running;
using Spectre.Console;

namespace EcsMm.Scenarios.Cli;

/// <summary><c>ecsmm list</c>: the built-in scenarios, what they run, and which of their steps today's engine executes.</summary>
public static class ListCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("list", """
            Describe the built-in scenarios (files in scenarios/ next to the executable; copy one to start your own).

            Example:
              ecsmm list
            """);
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("name");
            table.AddColumn("guest");
            table.AddColumn("modes");
            table.AddColumn("iterations");
            table.AddColumn("steps");
            table.AddColumn("description");
            var handlers = PipelineExecutor.DefaultHandlers();
            foreach (var name in BuiltinScenarios.Names())
            {
                var s = ScenarioLoader.Load(name).Spec;
                var steps = s.Setup.Concat(s.Iteration).Select(st => handlers.Any(h => h.Handles(st)) ? st.Kind : st.Kind + "*").Distinct();
                var modes = string.Join(",", s.Balloon.HostZeroesPages.Select(m => m == 0 ? "baseline" : "optimized"));
                table.AddRow(Markup.Escape(name), Markup.Escape($"{SizeText.Format(s.Guest.MemoryBytes)} {s.Guest.Cpus} vCPU"), modes, s.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(string.Join(" ", steps)), Markup.Escape(s.Description));
            }

            context.Console.Write(table);
            context.Out.WriteLine("* not executed by today's engine (reported as such by 'ecsmm run'); files: " + BuiltinScenarios.Directory);
            return ExitCodes.Ok;
        });
        return command;
    }
}
