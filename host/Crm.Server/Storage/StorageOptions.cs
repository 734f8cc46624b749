using System.ComponentModel.DataAnnotations;
using Crm.Grains.Storage;

namespace Crm.Server.Storage;

/// <summary>
/// <c>Crm:Storage</c>. The embedded default needs nothing: a SQLite file under <see cref="DataDirectory"/>.
/// The PostgreSQL profile needs <c>Provider=PostgreSql</c> and a connection string.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Crm:Storage";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite it defaults to <c>{DataDirectory}/crm.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Which provider stores grain state; both read and write the same rows.</summary>
    public GrainStorageKind GrainStorage { get; set; } = GrainStorageKind.GroupCommit;

    /// <summary>SQLite only: <c>Normal</c> survives a process crash, <c>Full</c> also a power loss (slower commits).</summary>
    public SqliteDurability SqliteDurability { get; set; } = SqliteDurability.Normal;

    /// <summary>
    /// How long a write may wait for the database before it fails unwritten and the request answers 503: the
    /// connect, lock and command timeouts of the group-commit writer, and the longest wait in its queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan DatabaseTimeout { get; set; } = CrmDatabase.DefaultTimeout;

    /// <summary>Where the SQLite file, the generated admin password and other local files go.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public string EffectiveConnectionString => Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(ConnectionString)
        ? $"Data Source={Path.Combine(DataDirectory, "crm.db")}"
        : ConnectionString!;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Crm:Storage:ConnectionString is required when Crm:Storage:Provider is PostgreSql.",
                [nameof(ConnectionString)]);
        }
    }
}
