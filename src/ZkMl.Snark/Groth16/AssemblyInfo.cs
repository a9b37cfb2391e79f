using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ZkMl.Snark.Tests")]
[assembly: InternalsVisibleTo("ZkMl.Cli.Tests")]
