namespace ZkMl.Cli;

/// <summary>Process entry point of the <c>zkml</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the command line; see <see cref="ZkmlCommand"/> for the commands.</summary>
    public static int Main(string[] args) => ZkmlCommand.Run(args, Console.Out, Console.Error);
}
