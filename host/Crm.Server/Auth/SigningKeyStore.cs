using System.Security.Cryptography;
using System.Text.Json;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Auth;

/// <summary>
/// Finds the signing keys, never in the database they protect: the configured key (with previous keys that still
/// validate), or else the key ring file (<c>{DataDirectory}/signing-keys.json</c>, mode 0600, created on first start).
/// A key that an older version kept in the <c>settings</c> table is moved into the file as its current key, so
/// tokens already out keep working; on SQLite the row is then deleted; on PostgreSQL other silos may still need
/// it to build their own file, so it stays until an operator deletes it (a warning says so at each start).
/// </summary>
public static class SigningKeyStore
{
    public const string LegacySettingsKey = "jwt-signing-key";
    private const string LegacyId = "migrated";

    private sealed record KeyFileEntry(string Id, string Key, DateTimeOffset CreatedAt);

    private sealed record KeyFileContent(string Current, List<KeyFileEntry> Keys);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static SigningKeyRing Resolve(CrmDatabase database, AuthOptions options, string dataDirectory, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var secrets = new Dictionary<string, string> { [options.SigningKeyId] = options.SigningKey };
            foreach (var previous in options.PreviousSigningKeys)
            {
                var colon = previous.IndexOf(':');
                if (colon <= 0 || previous.Length - colon - 1 < 32)
                {
                    throw new InvalidOperationException("Crm:Auth:PreviousSigningKeys entries are 'id:key' with a key of at least 32 characters.");
                }

                secrets.TryAdd(previous[..colon], previous[(colon + 1)..]);
            }

            WarnIfStillInDatabase(database, logger);
            return new SigningKeyRing(options.SigningKeyId, secrets);
        }

        var path = options.KeyFile ?? Path.Combine(dataDirectory, "signing-keys.json");
        if (!File.Exists(path))
        {
            var legacy = ReadLegacy(database);
            var id = legacy is null ? NewId() : LegacyId;
            Write(path, new KeyFileContent(id, [new KeyFileEntry(id, legacy ?? NewSecret(), DateTimeOffset.UtcNow)]));
            if (legacy is not null)
            {
                logger.LogWarning("Moved the token signing key from the database's settings table to {File}", path);
            }
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            DeleteLegacy(database);
        }
        else
        {
            WarnIfStillInDatabase(database, logger);
        }

        var content = JsonSerializer.Deserialize<KeyFileContent>(File.ReadAllText(path), Json)
            ?? throw new InvalidOperationException($"{path} is not a signing key ring.");
        return new SigningKeyRing(content.Current, content.Keys.ToDictionary(k => k.Id, k => k.Key));
    }

    /// <summary>Adds a new current key to a key ring file, keeping the others for validation (docs/security.md: rotation).</summary>
    public static string Rotate(string path)
    {
        var content = JsonSerializer.Deserialize<KeyFileContent>(File.ReadAllText(path), Json)!;
        var id = NewId();
        content.Keys.Add(new KeyFileEntry(id, NewSecret(), DateTimeOffset.UtcNow));
        Write(path, content with { Current = id });
        return id;
    }

    private static void Write(string path, KeyFileContent content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, content, Json);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true); // whole or not at all
    }

    private static string NewId() => $"k{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private static string? ReadLegacy(CrmDatabase database)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        return connection.ExecuteScalar<string?>("SELECT value FROM settings WHERE key = @key", new { key = LegacySettingsKey });
    }

    private static void DeleteLegacy(CrmDatabase database)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("DELETE FROM settings WHERE key = @key", new { key = LegacySettingsKey });
    }

    private static void WarnIfStillInDatabase(CrmDatabase database, ILogger logger)
    {
        if (ReadLegacy(database) is not null)
        {
            logger.LogWarning("A token signing key is still stored in the database (settings '{Key}'); once every silo runs this " +
                "version, delete it: DELETE FROM settings WHERE key = '{Key}'", LegacySettingsKey, LegacySettingsKey);
        }
    }
}
