namespace Crm.Benchmarks;

/// <summary>
/// One benchmark mode: measures a path of the CRM and prints its figures with a ratio against a baseline
/// measured in the same run.
/// </summary>
public interface IBenchmark
{
    /// <summary>The word that selects it on the command line.</summary>
    string Name { get; }

    string Description { get; }

    Task RunAsync(string[] args);
}
