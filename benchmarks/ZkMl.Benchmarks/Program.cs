Console.WriteLine("ZkMl benchmarks: dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter *");
