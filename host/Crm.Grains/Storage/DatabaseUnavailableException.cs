namespace Crm.Grains.Storage;

/// <summary>
/// The database could not be reached or would not take the write in time (connection refused or lost, server shutting
/// down, file locked or read-only, timeout). Nothing of the failed operation was stored; the API answers 503 with
/// <c>Retry-After</c>. The cause is kept as text only, so the exception crosses silos without the driver's types.
/// </summary>
[GenerateSerializer]
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
        : base("The database is unavailable.")
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public static DatabaseUnavailableException From(Exception cause) =>
        cause as DatabaseUnavailableException ?? new($"The database is unavailable: {DatabaseFailures.Describe(cause)}");
}
