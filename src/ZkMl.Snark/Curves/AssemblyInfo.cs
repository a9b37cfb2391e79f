using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ZkMl.Snark.Tests")]
