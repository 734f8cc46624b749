using System.Reflection;
using Crm.Benchmarks;

// dotnet run -c Release --project tests/Crm.Benchmarks -- <mode> [options]
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

var selected = args.Length > 0 ? benchmarks.FirstOrDefault(b => b.Name == args[0]) : null;
if (selected is null)
{
    Console.WriteLine("Usage: Crm.Benchmarks <mode> [options]. Modes:");
    foreach (var benchmark in benchmarks)
    {
        Console.WriteLine($"  {benchmark.Name,-16} {benchmark.Description}");
    }

    return args.Length == 0 ? 0 : 1;
}

await selected.RunAsync(args[1..]);
return 0;
