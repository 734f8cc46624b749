namespace Crm.Benchmarks.Storage;

/// <summary>A grain whose every call is one durable state write, nothing else.</summary>
public interface IStorageBenchGrain : IGrainWithIntegerKey
{
    Task Write(long n);

    /// <summary>The same call without the write: the in-memory ceiling the durable path is held against.</summary>
    Task Touch(long n);
}
