Console.WriteLine("zkml (under construction)");
