using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace ZkMl.Cli;

/// <summary><c>zkml --version</c>: the tool's informational version (package version and source revision).</summary>
internal sealed class ZkmlVersionAction : SynchronousCommandLineAction
{
    // This assembly, not the entry assembly: in tests the entry assembly is the test host.
    private static readonly string Version =
        typeof(ZkmlVersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
