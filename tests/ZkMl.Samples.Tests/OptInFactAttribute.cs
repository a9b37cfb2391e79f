namespace ZkMl.Samples.Tests;

/// <summary>A fact that runs only when an environment variable has a given value (long runs kept out of .ci/run); skipped with the reason otherwise.</summary>
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable, string value)
    {
        if (Environment.GetEnvironmentVariable(variable) != value)
            Skip = $"Opt-in: set {variable}={value} to run it (it takes minutes on two cores).";
    }
}
