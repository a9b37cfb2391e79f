Console.WriteLine("ZkMl training sample (under construction)");
