namespace ZkMl.Network.Tests;

/// <summary>A fact that needs a Redis server named by ZKML_REDIS (host:port; .ci/run starts one); skipped with the reason when it is absent.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ZKML_REDIS")))
            Skip = "ZKML_REDIS is not set: no Redis server to run the multi-process network test against (.ci/run starts one).";
    }
}
