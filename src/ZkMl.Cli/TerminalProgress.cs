using Spectre.Console;
using ZkMl.Common;
using ZkMl.Training;

namespace ZkMl.Cli;

/// <summary>
/// Shows a long operation's progress on standard error with Spectre.Console when standard error is a terminal; runs it
/// silently otherwise (pipes, files and tests see only the command's result lines).
/// </summary>
internal static class TerminalProgress
{
    /// <summary>True when a progress display would reach a person: stderr is a terminal that is not TERM=dumb.</summary>
    public static bool IsShown => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>Runs <paramref name="work"/>, drawing its <see cref="TrainingProgress"/> reports as a bar titled <paramref name="title"/>.</summary>
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>?, T> work) =>
        Show(title, work, task => new SynchronousProgress<TrainingProgress>(p =>
        {
            task.Description = $"{title}: {p.Phase} {p.Done}/{p.Total}";
            task.MaxValue = Math.Max(1, p.Total);
            task.Value = p.Done;
        }));

    /// <summary>Runs <paramref name="work"/>, drawing the fractions (0 to 1) it reports as a bar titled <paramref name="title"/>.</summary>
    public static T RunFraction<T>(string title, Func<IProgress<double>?, T> work) =>
        Show(title, work, task => new SynchronousProgress<double>(f => task.Value = f));

    private static T Show<T, TReport>(string title, Func<IProgress<TReport>?, T> work, Func<ProgressTask, IProgress<TReport>> bar)
    {
        if (!IsShown) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1);
                result = work(bar(task));
                task.Value = task.MaxValue;
            });
        return result;
    }
}
