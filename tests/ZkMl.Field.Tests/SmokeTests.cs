namespace ZkMl.Field.Tests;
public class SmokeTests { [Fact] public void AssemblyLoads() => Assert.True(true); }
